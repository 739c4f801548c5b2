import type { LanguageModelV4FunctionTool } from "@ai-sdk/provider";
import { parseJsonOr } from "@/lib/json";

/**
 * MiniMax-M2's native tool-call format, which sometimes leaks into text (minimax-wire §6):
 * <minimax:tool_call><invoke name="…"><parameter name="…">value</parameter>…</invoke>…</minimax:tool_call>
 *
 * One parser for both routes (the Anthropic route's text blocks, the OpenAI route's
 * content). Values are raw text that may hold any markup, the format's own closing tags
 * included (an XML file, say): a lazy regex ends a value at its first `</parameter>` and
 * loses the rest, a known vLLM parser bug. Here a closing tag ends an element only if
 * what follows it still parses as the format (backtracking to a later one otherwise).
 */
export const TOOL_CALL_OPEN = "<minimax:tool_call>";
export const TOOL_CALL_CLOSE = "</minimax:tool_call>";

export interface XmlToolCall {
  toolName: string;
  input: Record<string, unknown>;
}

/** An invoke as written: its name and each parameter's raw value. */
interface RawInvoke {
  toolName: string;
  parameters: [name: string, raw: string][];
}

const INVOKE_OPEN = /\s*<invoke\s+name=["']?([^"'>]*)["']?\s*>/y;
const PARAMETER_OPEN = /\s*<parameter\s+name=["']?([^"'>]*)["']?\s*>/y;
const INVOKE_END = /\s*<\/invoke>/y;
const INVOKE_CLOSE = "</invoke>";
const PARAMETER_CLOSE = "</parameter>";
const BLANK = /\s*$/y;
/** Closing tags of the format with nothing open: what follows a block end that isn't real. */
const STRAY_CLOSE = /<\/(?:parameter|invoke|minimax:tool_call)>/;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** Every index of `tag` in `text` from `from` on. */
function* indexesOf(text: string, tag: string, from: number): Generator<number> {
  for (let at = text.indexOf(tag, from); at >= 0; at = text.indexOf(tag, at + 1)) yield at;
}

/**
 * The parameters from `at` to the end of an invoke body that ends with `</invoke>`, or null
 * when that text is not a parameter sequence. Each value ends at the first `</parameter>`
 * after which the rest still parses.
 */
function parseParameters(body: string, at: number): RawInvoke["parameters"] | null {
  const end = matchAt(INVOKE_END, body, at);
  if (end && end.index + end[0].length === body.length) return [];
  const open = matchAt(PARAMETER_OPEN, body, at);
  if (!open) return null;
  const valueStart = open.index + open[0].length;
  for (const close of indexesOf(body, PARAMETER_CLOSE, valueStart)) {
    const rest = parseParameters(body, close + PARAMETER_CLOSE.length);
    if (rest) return [[open[1] ?? "", body.slice(valueStart, close)], ...rest];
  }
  return null;
}

/** The invokes from `at` to the end of `block`, or null when that text is not an invoke sequence. */
function parseInvokes(block: string, at: number): RawInvoke[] | null {
  if (matchAt(BLANK, block, at)) return [];
  const open = matchAt(INVOKE_OPEN, block, at);
  if (!open) return null;
  const bodyStart = open.index + open[0].length;
  for (const close of indexesOf(block, INVOKE_CLOSE, bodyStart)) {
    const bodyEnd = close + INVOKE_CLOSE.length;
    const parameters = parseParameters(block.slice(bodyStart, bodyEnd), 0);
    if (!parameters) continue;
    const rest = parseInvokes(block, bodyEnd);
    if (rest) return [{ toolName: open[1] ?? "", parameters }, ...rest];
  }
  return null;
}

/**
 * The complete invokes at the start of a block that was cut off (by the token limit, or
 * malformed): each one that parses, and is not followed by stray closing tags before the
 * next invoke (then its end was inside a value), is kept; the rest is dropped.
 */
function leadingInvokes(block: string): RawInvoke[] {
  const invokes: RawInvoke[] = [];
  let at = 0;
  for (;;) {
    const open = matchAt(INVOKE_OPEN, block, at);
    if (!open) return invokes;
    const bodyStart = open.index + open[0].length;
    let next = -1;
    for (const close of indexesOf(block, INVOKE_CLOSE, bodyStart)) {
      const parameters = parseParameters(block.slice(bodyStart, close + INVOKE_CLOSE.length), 0);
      const after = block.slice(close + INVOKE_CLOSE.length);
      const nextInvoke = after.search(/<invoke\s/);
      if (!parameters || STRAY_CLOSE.test(nextInvoke < 0 ? after : after.slice(0, nextInvoke))) continue;
      invokes.push({ toolName: open[1] ?? "", parameters });
      next = close + INVOKE_CLOSE.length;
      break;
    }
    if (next < 0) return invokes;
    at = next;
  }
}

/**
 * Where the block that `text` starts (after `<minimax:tool_call>`) really ends: the first
 * `</minimax:tool_call>` that closes complete invokes and is not followed by stray closing
 * tags before the next block (a value may itself hold `</invoke>\n</minimax:tool_call>`).
 * While `final` is false more text may come, so an end is confirmed only once the next
 * block has begun; at the end of the content (`final`) the earliest clean end wins.
 * -1 when there is none (yet).
 */
export function toolCallBlockEnd(text: string, final: boolean): number {
  for (const at of indexesOf(text, TOOL_CALL_CLOSE, 0)) {
    if (!parseInvokes(text.slice(0, at), 0)) continue;
    const after = text.slice(at + TOOL_CALL_CLOSE.length);
    const nextOpen = after.indexOf(TOOL_CALL_OPEN);
    if (nextOpen < 0 && !final) return -1;
    if (!STRAY_CLOSE.test(nextOpen < 0 ? after : after.slice(0, nextOpen))) return at;
  }
  return -1;
}

function schemaType(tool: LanguageModelV4FunctionTool | undefined, parameter: string): string | undefined {
  const property = tool?.inputSchema.properties?.[parameter];
  if (typeof property !== "object") return undefined;
  const type = property.type;
  return Array.isArray(type) ? type.find((t) => t !== "null") : type;
}

/** Parameter values are raw text; the tool's JSON schema says what they mean. */
export function convertParameterValue(raw: string, type: string | undefined): unknown {
  const value = raw.replace(/^\n/, "").replace(/\n$/, "");
  switch (type) {
    case "integer":
    case "number": {
      const number = Number(value);
      return value.trim() !== "" && Number.isFinite(number) ? number : value;
    }
    case "boolean": {
      const word = value.trim().toLowerCase();
      return word === "true" || word === "1";
    }
    case "object":
    case "array":
      return parseJsonOr(value, value);
    default:
      return value;
  }
}

/**
 * The calls in one block (the text between `<minimax:tool_call>` and its end); several
 * invokes are parallel calls. A block cut off mid-invoke keeps the invokes before the cut.
 * Values are typed by the tool's JSON schema.
 */
export function parseXmlToolCalls(block: string, tools: readonly LanguageModelV4FunctionTool[]): XmlToolCall[] {
  const invokes = parseInvokes(block, 0) ?? leadingInvokes(block);
  return invokes.map(({ toolName, parameters }) => {
    const tool = tools.find((t) => t.name === toolName);
    const input: Record<string, unknown> = {};
    for (const [name, raw] of parameters) input[name] = convertParameterValue(raw, schemaType(tool, name));
    return { toolName, input };
  });
}
