import { describe, expect, it } from "vitest";
import { convertParameterValue, parseXmlToolCalls, toolCallBlockEnd } from "./xml-tool-calls";

describe("convertParameterValue", () => {
  it("converts by JSON-schema type and strips one newline each side", () => {
    expect(convertParameterValue("\n\nkeep inner newline\n\n", "string")).toBe("\nkeep inner newline\n");
    expect(convertParameterValue("42", "integer")).toBe(42);
    expect(convertParameterValue("4.5", "number")).toBe(4.5);
    expect(convertParameterValue("many", "number")).toBe("many");
    expect(convertParameterValue("true", "boolean")).toBe(true);
    expect(convertParameterValue("1", "boolean")).toBe(true);
    expect(convertParameterValue("no", "boolean")).toBe(false);
    expect(convertParameterValue('{"a":[1]}', "object")).toEqual({ a: [1] });
    expect(convertParameterValue("[1, 2]", "array")).toEqual([1, 2]);
    expect(convertParameterValue("not json", "array")).toBe("not json");
    expect(convertParameterValue("7", undefined)).toBe("7");
  });
});

describe("parseXmlToolCalls", () => {
  it("reads every invoke as a parallel call, typing values by the tool's schema", () => {
    const block = `
<invoke name="write_file">
<parameter name="path">src/sum.ts</parameter>
<parameter name="content">export const sum = (a: number, b: number) => a + b;</parameter>
</invoke>
<invoke name="list_files">
<parameter name="depth">2</parameter>
<parameter name="hidden">true</parameter>
</invoke>
`;
    const tools = [
      {
        type: "function" as const,
        name: "write_file",
        inputSchema: { type: "object" as const, properties: { path: { type: "string" as const } } },
      },
      {
        type: "function" as const,
        name: "list_files",
        inputSchema: {
          type: "object" as const,
          properties: {
            depth: { type: ["integer", "null"] as ("integer" | "null")[] },
            hidden: { type: "boolean" as const },
          },
        },
      },
    ];
    expect(parseXmlToolCalls(block, tools)).toEqual([
      {
        toolName: "write_file",
        input: { path: "src/sum.ts", content: "export const sum = (a: number, b: number) => a + b;" },
      },
      { toolName: "list_files", input: { depth: 2, hidden: true } },
    ]);
  });
});

describe("values that hold markup", () => {
  const tricky = `<config>
  <parameter name="x">1</parameter>
  </invoke>
  </minimax:tool_call>
</config>
<!-- </invoke> and </minimax:tool_call> inside a value -->
`;
  const block = `
<invoke name="write_file">
<parameter name="path">config.xml</parameter>
<parameter name="content">${tricky}</parameter>
</invoke>
<invoke name="read_file">
<parameter name="path">a</parameter>
</invoke>
`;

  it("keeps a value whole when it contains </parameter>, </invoke> and the block's closing tag", () => {
    expect(parseXmlToolCalls(block, [])).toEqual([
      { toolName: "write_file", input: { path: "config.xml", content: tricky.replace(/\n$/, "") } },
      { toolName: "read_file", input: { path: "a" } },
    ]);
  });

  it("finds the block's real end, not a closing tag inside a value", () => {
    const text = `${block}</minimax:tool_call>\nafter`;
    expect(toolCallBlockEnd(text, true)).toBe(block.length);
    // while more may come, an end is sure only once the next block opens
    expect(toolCallBlockEnd(text, false)).toBe(-1);
    expect(toolCallBlockEnd(`${text}\n<minimax:tool_call>\n`, false)).toBe(block.length);
    // still inside the value: not closed, whatever the value mentions
    const cut = block.slice(0, block.indexOf("<!--") + 20);
    expect(toolCallBlockEnd(`${cut}</minimax:tool_call>`, true)).toBe(-1);
  });

  it("drops an invoke that was cut off before its end", () => {
    const cut = `<invoke name="read_file">\n<parameter name="path">a</parameter>\n</invoke>\n<invoke name="write_file">\n<parameter name="path">b`;
    expect(parseXmlToolCalls(cut, [])).toEqual([{ toolName: "read_file", input: { path: "a" } }]);
  });
});
