import { parseJsonObject } from "@/lib/json";
import type { StepNode } from "@/lib/steps/types";

/**
 * A tool call's arguments as far as they have arrived. While a call streams its content
 * is an unfinished JSON object; string fields are read up to where the text stops, so a
 * file being written can be shown while the model is still writing it.
 */
export interface ToolInputView {
  path?: string;
  content?: string;
  oldString?: string;
  newString?: string;
  /** the whole arguments text parsed as JSON */
  complete: boolean;
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Decodes a JSON string starting at `from` (just after its opening quote), up to its end or the end of the text. */
function decodeStringFrom(text: string, from: number): string {
  let out = "";
  for (let i = from; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"') return out;
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return out;
    if (next === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return out;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += ESCAPES[next] ?? next;
    i += 1;
  }
  return out;
}

/** A string field of an unfinished JSON object, or undefined when its value has not started. */
function partialStringField(json: string, field: string): string | undefined {
  const match = new RegExp(`"${field}"\\s*:\\s*"`).exec(json);
  return match ? decodeStringFrom(json, match.index + match[0].length) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function readToolInput(step: StepNode): ToolInputView {
  const text = step.providerData?.toolInput ?? step.content;
  const input = parseJsonObject(text);
  if (input) {
    return {
      path: stringOf(input.path),
      content: stringOf(input.content),
      oldString: stringOf(input.old_string),
      newString: stringOf(input.new_string),
      complete: true,
    };
  }
  // still streaming, or the model sent broken JSON: read what is there
  return {
    path: partialStringField(text, "path"),
    content: partialStringField(text, "content"),
    oldString: partialStringField(text, "old_string"),
    newString: partialStringField(text, "new_string"),
    complete: false,
  };
}

export function countLines(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}
