import { describe, expect, it } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import { countLines, readToolInput } from "./tool-input";

const call = (content: string, toolInput?: string) =>
  makeStep({
    id: "c",
    kind: "tool_call",
    status: toolInput ? "done" : "streaming",
    content,
    providerData: { toolName: "write_file", toolInput },
  });

describe("readToolInput", () => {
  it("reads the fields of a finished call", () => {
    const input = JSON.stringify({ path: "src/a.ts", content: 'const a = "x";\n' });
    expect(readToolInput(call(input, input))).toEqual({
      path: "src/a.ts",
      content: 'const a = "x";\n',
      oldString: undefined,
      newString: undefined,
      complete: true,
    });
  });

  it("reads an unfinished call up to where the text stops, decoding escapes", () => {
    const view = readToolInput(call('{"path": "src/a.ts", "content": "line 1\\n\\tsaid \\"hi\\"\\nline'));
    expect(view).toMatchObject({ path: "src/a.ts", content: 'line 1\n\tsaid "hi"\nline', complete: false });
  });

  it("stops before an escape that has not fully arrived", () => {
    expect(readToolInput(call('{"path": "a.ts", "content": "caf\\u00e')).content).toBe("caf");
    expect(readToolInput(call('{"path": "a.ts", "content": "caf\\u00e9 ok\\')).content).toBe("café ok");
  });

  it("has no content before its value starts, and ignores quoted field names inside strings", () => {
    expect(readToolInput(call('{"path": "a.ts", "cont')).content).toBeUndefined();
    expect(readToolInput(call('{"content": "say \\"path\\": \\"x\\"", "path": "b.ts"')).path).toBe("b.ts");
  });
});

describe("countLines", () => {
  it("counts a final line with or without its newline once", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a")).toBe(1);
    expect(countLines("a\nb\n")).toBe(2);
    expect(countLines("a\nb")).toBe(2);
  });
});
