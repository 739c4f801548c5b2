import type { LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { generateId } from "@ai-sdk/provider-utils";
import { miniMaxMetadata } from "./metadata";
import { type Emit, emitWholeToolCall } from "./stream-parts";
import { parseXmlToolCalls, TOOL_CALL_CLOSE, TOOL_CALL_OPEN, toolCallBlockEnd } from "./xml-tool-calls";

const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";
// the newline before </think> belongs to the layout, not to the reasoning
const THINK_END_TAGS = [`\n${THINK_CLOSE}`, THINK_CLOSE];
const TOOL_CALL_TAGS = [TOOL_CALL_OPEN];

type State = "detect" | "thinking" | "afterThinking" | "text" | "toolXml";

export interface ContentSplitterOptions {
  emit: Emit;
  nextId: () => string;
  /** detect: look for a leading `<think>`; thinking: continue an open think (prefill); text: no tags expected. */
  initial: "detect" | "thinking" | "text";
  /** What content without a leading `<think>` is: reasoning until `</think>` (M2 always thinks), or text. */
  untagged: "thinking" | "text";
  /** Put each part's exact characters on its end as `raw`, so the raws concatenate to the content. */
  recordRaw: boolean;
  /** Extract `<minimax:tool_call>` XML from text into tool calls (Anthropic route, where raw isn't kept). */
  xmlTools?: readonly LanguageModelV4FunctionTool[];
}

/** Length of the longest suffix of `text` that could be the start of one of `tags` (longest tag first). */
function partialTagLength(text: string, tags: readonly string[]): number {
  const longest = Math.min(text.length, (tags[0]?.length ?? 1) - 1);
  for (let length = longest; length > 0; length--) {
    const suffix = text.slice(text.length - length);
    if (tags.some((tag) => tag.startsWith(suffix))) return length;
  }
  return 0;
}

function isLineBreak(char: string | undefined): boolean {
  return char === "\n" || char === "\r";
}

/**
 * Splits streamed message content into reasoning and text parts by its `<think>…</think>`
 * tags, which may be split across chunks, absent, or present only as the closing tag.
 * Characters that might start a tag are held back until the next chunk decides.
 * The reasoning part spans `<think>` through `</think>` and the line breaks after it.
 */
export class ContentSplitter {
  private state: State;
  private untagged: "thinking" | "text";
  private thinkIsEcho = false;
  private reasoningSeen = false;
  /** inside a `<think>` section that repeats reasoning already shown */
  private echo = false;
  /** raw characters of a repeated `<think>` section, to open the next text's raw slice */
  private rawPrefix = "";
  private pending = "";
  private reasoningId: string | undefined;
  private reasoningRaw = "";
  private skipLeadingNewline = false;
  private textId: string | undefined;
  private textRaw = "";
  /** whitespace that may open a text part: held until something visible follows it */
  private heldSpace = "";

  constructor(private readonly options: ContentSplitterOptions) {
    this.state = options.initial;
    this.untagged = options.untagged;
    if (options.initial === "thinking") this.openReasoning(false);
  }

  /**
   * The reasoning arrived on a separate channel (reasoning_details, reasoning_content):
   * untagged content is the answer, and a `<think>` section in the content repeats that
   * reasoning (some gateways send both, minimax-wire §5). It is one thinking step, so the
   * repeat is not shown again; its characters stay at the front of the text's raw slice, so
   * the content is still replayed exactly as it came.
   */
  /** Whether the content carried reasoning of its own (shown as a thinking part). */
  get sawThinking(): boolean {
    return this.reasoningSeen;
  }

  reasoningArrivedElsewhere(): void {
    this.untagged = "text";
    this.thinkIsEcho = true;
  }

  push(chunk: string): void {
    if (chunk) this.consume(this.pending + chunk);
  }

  /** Content is over: flush what was held back and close open parts. Later content is text. */
  finish(): void {
    const rest = this.pending;
    this.pending = "";
    if (this.state === "detect" && rest) this.leaveDetect();
    switch (this.state) {
      case "thinking":
        this.reasoning(rest, rest);
        break;
      case "text":
        this.text(rest);
        break;
      case "toolXml": {
        const end = toolCallBlockEnd(rest, true);
        if (end < 0) {
          this.flushToolXml(rest);
          break;
        }
        this.emitXmlToolCalls(rest.slice(0, end));
        this.state = "text";
        // what follows the block (text, another block) goes through the states again
        this.consume(rest.slice(end + TOOL_CALL_CLOSE.length));
        this.finish();
        return;
      }
    }
    this.closeReasoning();
    this.closeText();
    this.state = "text";
  }

  private consume(input: string): void {
    let buf = input;
    this.pending = "";
    while (buf) {
      switch (this.state) {
        case "detect":
          if (buf.length < THINK_OPEN.length && THINK_OPEN.startsWith(buf)) {
            this.pending = buf;
            return;
          }
          if (buf.startsWith(THINK_OPEN)) {
            if (this.thinkIsEcho) this.echo = true;
            else this.openReasoning(true);
            this.reasoningRaw = THINK_OPEN;
            this.state = "thinking";
            buf = buf.slice(THINK_OPEN.length);
          } else {
            this.leaveDetect();
          }
          break;
        case "thinking": {
          const end = buf.indexOf(THINK_CLOSE);
          if (end < 0) {
            const held = buf.length - partialTagLength(buf, THINK_END_TAGS);
            this.reasoning(buf.slice(0, held), buf.slice(0, held));
            this.pending = buf.slice(held);
            return;
          }
          const inner = buf.slice(0, end);
          this.reasoning(inner.endsWith("\n") ? inner.slice(0, -1) : inner, buf.slice(0, end + THINK_CLOSE.length));
          this.state = "afterThinking";
          buf = buf.slice(end + THINK_CLOSE.length);
          break;
        }
        case "afterThinking": {
          let breaks = 0;
          while (isLineBreak(buf[breaks])) breaks++;
          this.reasoningRaw += buf.slice(0, breaks);
          buf = buf.slice(breaks);
          if (buf) {
            this.closeReasoning();
            this.state = "text";
          }
          break;
        }
        case "text": {
          if (!this.options.xmlTools) {
            this.text(buf);
            return;
          }
          const start = buf.indexOf(TOOL_CALL_OPEN);
          if (start < 0) {
            const held = buf.length - partialTagLength(buf, TOOL_CALL_TAGS);
            this.text(buf.slice(0, held));
            this.pending = buf.slice(held);
            return;
          }
          this.text(buf.slice(0, start));
          this.closeText();
          this.state = "toolXml";
          buf = buf.slice(start + TOOL_CALL_OPEN.length);
          break;
        }
        case "toolXml": {
          // a value may hold the closing tags too: the end is sure only once the next block
          // begins, or the content is over (finish)
          const end = buf.includes(TOOL_CALL_OPEN) ? toolCallBlockEnd(buf, false) : -1;
          if (end < 0) {
            this.pending = buf;
            return;
          }
          this.emitXmlToolCalls(buf.slice(0, end));
          this.state = "text";
          buf = buf.slice(end + TOOL_CALL_CLOSE.length);
          break;
        }
      }
    }
  }

  private leaveDetect(): void {
    if (this.untagged === "thinking") {
      this.openReasoning(false);
      this.state = "thinking";
    } else {
      this.state = "text";
    }
  }

  private openReasoning(skipLeadingNewline: boolean): void {
    this.reasoningSeen = true;
    this.reasoningId = this.options.nextId();
    this.reasoningRaw = "";
    this.skipLeadingNewline = skipLeadingNewline;
    this.options.emit({ type: "reasoning-start", id: this.reasoningId });
  }

  private reasoning(delta: string, raw: string): void {
    this.reasoningRaw += raw;
    let text = delta;
    if (this.skipLeadingNewline && text) {
      if (text.startsWith("\n")) text = text.slice(1);
      this.skipLeadingNewline = false;
    }
    if (text && this.reasoningId !== undefined)
      this.options.emit({ type: "reasoning-delta", id: this.reasoningId, delta: text });
  }

  private closeReasoning(): void {
    if (this.echo) {
      this.rawPrefix = this.reasoningRaw;
      this.reasoningRaw = "";
      this.echo = false;
      return;
    }
    if (this.reasoningId === undefined) return;
    this.options.emit({
      type: "reasoning-end",
      id: this.reasoningId,
      ...(this.options.recordRaw && { providerMetadata: miniMaxMetadata({ raw: this.reasoningRaw }) }),
    });
    this.reasoningId = undefined;
  }

  /**
   * A text part opens only at its first visible character: the line breaks around a tool-call
   * block are layout, and a text step holding nothing but them would show as an empty answer.
   */
  private text(chunk: string): void {
    let delta = chunk;
    if (!delta) return;
    if (this.textId === undefined) {
      delta = this.heldSpace + delta;
      if (delta.trim() === "") {
        this.heldSpace = delta;
        return;
      }
      this.heldSpace = "";
      this.textId = this.options.nextId();
      this.textRaw = this.rawPrefix;
      this.rawPrefix = "";
      this.options.emit({ type: "text-start", id: this.textId });
    }
    this.textRaw += delta;
    this.options.emit({ type: "text-delta", id: this.textId, delta });
  }

  private closeText(): void {
    this.heldSpace = "";
    if (this.textId === undefined) return;
    this.options.emit({
      type: "text-end",
      id: this.textId,
      ...(this.options.recordRaw && { providerMetadata: miniMaxMetadata({ raw: this.textRaw }) }),
    });
    this.textId = undefined;
  }

  private emitXmlToolCalls(block: string): number {
    const calls = parseXmlToolCalls(block, this.options.xmlTools ?? []);
    for (const call of calls) {
      emitWholeToolCall(this.options.emit, {
        id: `call_${generateId()}`,
        toolName: call.toolName,
        input: JSON.stringify(call.input),
      });
    }
    return calls.length;
  }

  /** A tool-call block cut off by the end of the content: keep its complete invokes, else show it as text. */
  private flushToolXml(block: string): void {
    if (this.emitXmlToolCalls(block) === 0) this.text(TOOL_CALL_OPEN + block);
  }
}
