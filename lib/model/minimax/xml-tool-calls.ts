import type { LanguageModelV4FunctionTool } from "@ai-sdk/provider";

/**
 * MiniMax-M2's native tool-call format, which sometimes leaks into text (minimax-wire §6):
 * <minimax:tool_call><invoke name="…"><parameter name="…">value</parameter>…</invoke>…</minimax:tool_call>
 */
export const TOOL_CALL_OPEN = "<minimax:tool_call>";
export const TOOL_CALL_CLOSE = "</minimax:tool_call>";

export interface XmlToolCall {
  toolName: string;
  input: Record<string, unknown>;
}

const INVOKE = /<invoke name=["']?([^"'>]*)["']?>([\s\S]*?)<\/invoke>/g;
const PARAMETER = /<parameter name=["']?([^"'>]*)["']?>([\s\S]*?)<\/parameter>/g;

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
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/** Every complete `<invoke>` in the block; several are parallel calls. */
export function parseXmlToolCalls(block: string, tools: readonly LanguageModelV4FunctionTool[]): XmlToolCall[] {
  return [...block.matchAll(INVOKE)].map(([, name = "", body = ""]) => {
    const tool = tools.find((t) => t.name === name);
    const input: Record<string, unknown> = {};
    for (const [, parameter = "", raw = ""] of body.matchAll(PARAMETER)) {
      input[parameter] = convertParameterValue(raw, schemaType(tool, parameter));
    }
    return { toolName: name, input };
  });
}
