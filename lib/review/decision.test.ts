import { describe, expect, it } from "vitest";
import { fileChangesAt, filesAt } from "@/lib/steps/files";
import { chain, makeStep } from "@/lib/steps/fixtures";
import type { StepNode } from "@/lib/steps/types";
import { executeReviewed, proposedWrite, type ReviewDecision, reviewerDiff } from "./decision";

const call = (toolName: string, input: Record<string, string>): StepNode =>
  makeStep({
    id: "call",
    kind: "tool_call",
    turn: 1,
    providerData: { toolCallId: "call_1", toolName, toolInput: JSON.stringify(input) },
  });

const files = new Map([["src/a.ts", "export const a = 1;\n"]]);
const decision = (fields: Partial<ReviewDecision>): ReviewDecision => ({
  decision: "approved",
  editedContent: null,
  comment: null,
  by: "Ada",
  ...fields,
});

describe("proposedWrite: which calls the gate holds", () => {
  it("holds a write or an edit that would change a file, with the file as it would be", () => {
    expect(proposedWrite(call("write_file", { path: "./src/b.ts", content: "b" }), files)).toEqual({
      path: "src/b.ts",
      after: "b",
    });
    const edit = call("edit_file", { path: "src/a.ts", old_string: "1", new_string: "2" });
    expect(proposedWrite(edit, files)).toEqual({ path: "src/a.ts", after: "export const a = 2;\n" });
  });

  it("lets through reads, tests and calls that fail anyway (the model reads their error)", () => {
    expect(proposedWrite(call("read_file", { path: "src/a.ts" }), files)).toBeNull();
    expect(proposedWrite(call("run_tests", {}), files)).toBeNull();
    expect(proposedWrite(call("edit_file", { path: "src/a.ts", old_string: "zz", new_string: "y" }), files)).toBeNull();
    expect(proposedWrite(call("write_file", { path: "../etc/passwd", content: "x" }), files)).toBeNull();
  });
});

describe("executeReviewed: what the model reads after a decision", () => {
  it("approved: the call runs as sent; a note follows the result, labelled as the reviewer's", () => {
    const plain = executeReviewed(call("write_file", { path: "src/b.ts", content: "b\n" }), files, decision({}));
    expect(plain).toMatchObject({
      output: "Wrote src/b.ts (1 line)",
      isError: false,
      review: { decision: "approved" },
    });
    expect(plain.files.get("src/b.ts")).toBe("b\n");
    const noted = executeReviewed(call("write_file", { path: "src/b.ts", content: "b\n" }), files, {
      ...decision({ comment: " Fine. " }),
    });
    expect(noted.output).toBe("Wrote src/b.ts (1 line)\n\nThe reviewer (Ada) approved this change and noted: Fine.");
    expect(noted.review).toEqual({ decision: "approved", by: "Ada", comment: "Fine." });
  });

  it("edited: the reviewer's content is written, and the result carries their change as a unified diff", () => {
    const edit = call("edit_file", { path: "src/a.ts", old_string: "= 1", new_string: "= 2" });
    const result = executeReviewed(edit, files, decision({ editedContent: "export const a = 3;\n" }));
    expect(result.files.get("src/a.ts")).toBe("export const a = 3;\n");
    expect(result.isError).toBe(false);
    expect(result.output).toContain("The reviewer (Ada) edited your proposed content before approving it");
    expect(result.output).toContain("-export const a = 2;\n+export const a = 3;");
    expect(result.review).toEqual({
      decision: "edited",
      by: "Ada",
      toolInput: JSON.stringify({ path: "src/a.ts", content: "export const a = 3;\n" }),
    });
    // the same content as proposed is a plain approval
    const same = executeReviewed(edit, files, decision({ editedContent: "export const a = 2;\n" }));
    expect(same.review.decision).toBe("approved");
  });

  it("rejected: nothing is written; an error result with the rejection and the comment", () => {
    const result = executeReviewed(
      call("write_file", { path: "src/a.ts", content: "x" }),
      files,
      decision({ decision: "rejected", comment: "Keep the constant." }),
    );
    expect(result.files).toBe(files);
    expect(result.isError).toBe(true);
    expect(result.output).toBe(
      "The reviewer (Ada) rejected this change, so it was not applied: src/a.ts is unchanged.\nTheir comment: Keep the constant.\nTake this into account and plan again before you write the file.",
    );
    const anonymous = executeReviewed(
      call("write_file", { path: "src/a.ts", content: "x" }),
      files,
      decision({ decision: "rejected", by: null }),
    );
    expect(anonymous.output).toMatch(/^The reviewer rejected this change[\s\S]*They left no comment\./);
  });

  it("a diff whose text holds backticks stays inside its fence", () => {
    const result = executeReviewed(
      call("write_file", { path: "README.md", content: "a\n" }),
      new Map(),
      decision({ editedContent: "```js\nx\n```\n" }),
    );
    expect(result.output).toContain("````diff\n");
    expect(result.output.trimEnd().endsWith("````")).toBe(true);
  });

  it("reviewerDiff names both versions", () => {
    expect(reviewerDiff("a.txt", "x\n", "y\n")).toMatch(
      /^--- a\/a\.txt\tyour version\n\+\+\+ b\/a\.txt\tthe reviewer's version\n/,
    );
  });
});

describe("files along a reviewed branch", () => {
  const path = chain([
    { kind: "task", content: "t" },
    {
      kind: "tool_call",
      turn: 1,
      providerData: {
        toolCallId: "c1",
        toolName: "write_file",
        toolInput: JSON.stringify({ path: "a.ts", content: "mine" }),
      },
    },
    {
      kind: "tool_result",
      turn: 1,
      providerData: {
        toolCallId: "c1",
        toolName: "write_file",
        isError: false,
        review: { decision: "edited", by: "Ada", toolInput: JSON.stringify({ path: "a.ts", content: "theirs" }) },
      },
    },
  ]);

  it("hold the reviewer's content, and the call's diff shows what was applied", () => {
    expect(filesAt(path).get("a.ts")).toBe("theirs");
    expect(fileChangesAt(path, "s1")).toMatchObject({ path: "a.ts", before: "", after: "theirs" });
    // before the result exists, the diff shows what the call proposes
    expect(fileChangesAt(path.slice(0, 2), "s1")).toMatchObject({ after: "mine" });
  });

  it("hold nothing from a rejected call", () => {
    const rejected = path.map((step) =>
      step.kind === "tool_result"
        ? {
            ...step,
            providerData: { ...step.providerData, isError: true, review: { decision: "rejected" as const, by: null } },
          }
        : step,
    );
    expect(filesAt(rejected).has("a.ts")).toBe(false);
  });
});
