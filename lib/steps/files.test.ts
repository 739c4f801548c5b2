import { describe, expect, it } from "vitest";
import { fileChangesAt, filesAlongPath, filesAt, humanFileEdit } from "./files";
import { chain } from "./fixtures";
import type { StepNode } from "./types";

const call = (id: string, toolName: string, input: object | string): Partial<StepNode> => ({
  kind: "tool_call",
  turn: 1,
  providerData: { toolCallId: id, toolName, toolInput: typeof input === "string" ? input : JSON.stringify(input) },
});
const result = (id: string, isError = false): Partial<StepNode> => ({
  kind: "tool_result",
  providerData: { toolCallId: id, isError },
});
const humanSave = (path: string, content: string): Partial<StepNode> => ({
  kind: "user_note",
  origin: "human",
  providerData: { toolName: "write_file", toolInput: JSON.stringify({ path, content }) },
});

describe("filesAt", () => {
  it("replays successful write and edit calls in path order", () => {
    const path = chain([
      { kind: "task", content: "make a sum function" },
      { kind: "thinking", turn: 1, content: "I'll write it" },
      call("c1", "write_file", { path: "./src/sum.ts", content: "export const sum = (a, b) => a + b;\n" }),
      call("c2", "write_file", { path: "README.md", content: "# sum\n" }),
      result("c1"),
      result("c2"),
      call("c3", "edit_file", { path: "src/sum.ts", old_string: "(a, b)", new_string: "(a: number, b: number)" }),
      result("c3"),
      call("c4", "read_file", { path: "src/sum.ts" }),
      result("c4"),
    ]);
    expect(Object.fromEntries(filesAt(path))).toEqual({
      "src/sum.ts": "export const sum = (a: number, b: number) => a + b;\n",
      "README.md": "# sum\n",
    });
  });

  it("ignores calls that are pending, failed or denied", () => {
    const path = chain([
      { kind: "task" },
      call("ok", "write_file", { path: "a.ts", content: "a" }),
      result("ok"),
      call("denied", "write_file", { path: "b.ts", content: "b" }),
      result("denied", true),
      call("pending", "write_file", { path: "c.ts", content: "c" }),
    ]);
    expect([...filesAt(path).keys()]).toEqual(["a.ts"]);
  });

  it("applies a person's save in the editor like a write", () => {
    const path = chain([
      { kind: "task" },
      call("c1", "write_file", { path: "a.ts", content: "model\n" }),
      result("c1"),
      humanSave("a.ts", "human\n"),
    ]);
    expect(filesAt(path).get("a.ts")).toBe("human\n");
  });

  it("is empty for a path without file changes", () => {
    expect(filesAt(chain([{ kind: "task" }, { kind: "text", turn: 1, content: "hi" }])).size).toBe(0);
  });
});

describe("filesAlongPath", () => {
  it("gives the files after every step, sharing maps between unchanged steps", () => {
    const path = chain([
      { kind: "task" },
      call("c1", "write_file", { path: "a.ts", content: "1" }),
      result("c1"),
      { kind: "thinking", turn: 2 },
      call("c2", "edit_file", { path: "a.ts", old_string: "1", new_string: "2" }),
      result("c2"),
    ]);
    const along = filesAlongPath(path);
    const at = (i: number) => along.get((path[i] as StepNode).id);
    expect(at(0)?.size).toBe(0);
    expect(at(1)?.get("a.ts")).toBe("1");
    expect(at(2)).toBe(at(1));
    expect(at(3)).toBe(at(1));
    expect(at(4)?.get("a.ts")).toBe("2");
    expect(at(5)).toBe(at(4));
  });

  it("folds 5,000 steps quickly", () => {
    const body = Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n");
    const steps: Partial<StepNode>[] = [{ kind: "task" }];
    for (let i = 0; steps.length < 5_000; i++) {
      steps.push({ kind: "thinking", turn: i + 1, content: "…" });
      steps.push(call(`w${i}`, "write_file", { path: `src/f${i % 20}.ts`, content: `${body}\n// v${i}\n` }));
      steps.push(result(`w${i}`));
      steps.push(
        call(`e${i}`, "edit_file", { path: `src/f${i % 20}.ts`, old_string: `// v${i}`, new_string: `// edited ${i}` }),
      );
      steps.push(result(`e${i}`));
    }
    const path = chain(steps);
    const started = performance.now();
    const along = filesAlongPath(path);
    const files = filesAt(path);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(along.size).toBe(path.length);
    expect(files.size).toBe(20);
    expect(files.get("src/f19.ts")).toMatch(/\/\/ edited \d+\n$/);
  });
});

describe("fileChangesAt", () => {
  const path = chain([
    { kind: "task" },
    call("c1", "write_file", { path: "a.ts", content: "one\ntwo\n" }),
    result("c1"),
    call("c2", "edit_file", { path: "a.ts", old_string: "two", new_string: "2" }),
    result("c2"),
    call("c3", "edit_file", { path: "a.ts", old_string: "missing", new_string: "x" }),
    result("c3", true),
    humanSave("b.ts", "by hand"),
    call("c4", "write_file", { path: "c.ts", content: "proposed" }),
  ]);

  it("gives before and after of the file a step changed", () => {
    expect(fileChangesAt(path, "s1")).toEqual({ path: "a.ts", before: "", after: "one\ntwo\n", created: true });
    expect(fileChangesAt(path, "s3")).toEqual({
      path: "a.ts",
      before: "one\ntwo\n",
      after: "one\n2\n",
      created: false,
    });
    expect(fileChangesAt(path, "s7")).toEqual({ path: "b.ts", before: "", after: "by hand", created: true });
  });

  it("shows what a pending call proposes", () => {
    expect(fileChangesAt(path, "s8")).toMatchObject({ path: "c.ts", after: "proposed" });
  });

  it("is null for failed calls, steps that touch no file and unknown ids", () => {
    expect(fileChangesAt(path, "s5")).toBeNull();
    expect(fileChangesAt(path, "s0")).toBeNull();
    expect(fileChangesAt(path, "s2")).toBeNull();
    expect(fileChangesAt(path, "nope")).toBeNull();
  });
});

describe("humanFileEdit", () => {
  it("reads a person's save, with the path normalised", () => {
    const [note] = chain([humanSave("./src/a.ts", "x")]);
    expect(humanFileEdit(note as StepNode)).toEqual({ path: "src/a.ts", content: "x" });
  });

  it("is null for plain notes, tool calls and unreadable saves", () => {
    const [plain, toolCall, broken] = chain([
      { kind: "user_note", content: "please add tests" },
      call("c1", "write_file", { path: "a.ts", content: "" }),
      { kind: "user_note", providerData: { toolName: "write_file", toolInput: "{oops" } },
    ]);
    for (const step of [plain, toolCall, broken]) expect(humanFileEdit(step as StepNode)).toBeNull();
  });
});

describe("starting files", () => {
  const start = new Map([
    ["src/sum.ts", "export const sum = (a, b) => a + b;\n"],
    ["README.md", "# sum\n"],
  ]);
  const path = chain([
    { kind: "task", content: "type the sum" },
    call("c1", "edit_file", { path: "src/sum.ts", old_string: "(a, b)", new_string: "(a: number, b: number)" }),
    result("c1"),
  ]);

  it("are the project at the task step, and the model's edits apply to them", () => {
    const along = filesAlongPath(path, start);
    expect(along.get("s0")).toBe(start);
    expect(Object.fromEntries(filesAt(path, start))).toEqual({
      "src/sum.ts": "export const sum = (a: number, b: number) => a + b;\n",
      "README.md": "# sum\n",
    });
    expect(fileChangesAt(path, "s1", start)).toMatchObject({
      path: "src/sum.ts",
      before: start.get("src/sum.ts"),
      created: false,
    });
  });

  it("without them the same edit fails and changes nothing", () => {
    expect(filesAt(path).size).toBe(0);
  });
});
