import { parseJsonObject } from "@/lib/json";
import type { TurnPlan } from "./plan";

/**
 * A value as the model writes it. Parsers strip one newline from each end of a value
 * (minimax-wire §6), so a value that itself starts or ends with one gets one more.
 */
function rawValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `${text.startsWith("\n") ? "\n" : ""}${text}${text.endsWith("\n") ? "\n" : ""}`;
}

/**
 * MiniMax-M2's raw tool-call format (minimax-wire §6), as a server without a tool parser
 * passes it through in the text: one block, one `<invoke>` per call, string values raw and
 * everything else as JSON. Values are written as they are, markup included.
 */
export function xmlToolCallBlock(calls: TurnPlan["toolCalls"]): string {
  if (calls.length === 0) return "";
  const invokes = calls.flatMap((call) => {
    const input = parseJsonObject(call.arguments);
    if (!input) return []; // arguments cut by max_tokens: this emulator writes no half invoke
    const parameters = Object.entries(input).map(
      ([name, value]) => `<parameter name="${name}">${rawValue(value)}</parameter>\n`,
    );
    return [`<invoke name="${call.name}">\n${parameters.join("")}</invoke>\n`];
  });
  return `<minimax:tool_call>\n${invokes.join("")}</minimax:tool_call>`;
}
