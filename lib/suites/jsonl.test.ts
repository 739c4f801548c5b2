import { describe, expect, it } from "vitest";
import { runTests } from "@/lib/sandbox";
import { reportPassed } from "@/lib/sandbox/counts";
import { detectFormat, parseSuiteJsonl } from "./jsonl";

/** Lines in the two published layouts, with tasks written for these tests. */
const HUMANEVAL_LINE = JSON.stringify({
  task_id: "Sample/0",
  prompt:
    'from typing import List\n\n\ndef running_max(values: List[int]) -> List[int]:\n    """The largest value seen so far at each position.\n    >>> running_max([1, 3, 2])\n    [1, 3, 3]\n    """\n',
  canonical_solution:
    "    out = []\n    for v in values:\n        out.append(v if not out else max(out[-1], v))\n    return out\n",
  test: "METADATA = {}\n\n\ndef check(candidate):\n    assert candidate([1, 3, 2]) == [1, 3, 3]\n    assert candidate([]) == []\n    assert candidate([-1, -5]) == [-1, -1]\n",
  entry_point: "running_max",
});

const MBPP_LINE = JSON.stringify({
  task_id: 901,
  text: "Write a function to count the vowels in a string.",
  code: "def count_vowels(s):\n    return sum(c in 'aeiouAEIOU' for c in s)",
  test_list: ["assert count_vowels('hello') == 2", "assert count_vowels('') == 0", "assert count_vowels('AEIOU') == 5"],
  test_setup_code: "",
  challenge_test_list: ["assert count_vowels('rhythm') == 0"],
});

describe("parseSuiteJsonl", () => {
  it("reads HumanEval's layout: the prompt to complete, check(entry_point) as the hidden test", () => {
    const parsed = parseSuiteJsonl(`${HUMANEVAL_LINE}\n\n`, "mine");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [task] = parsed.suite.tasks;
    expect(task).toMatchObject({ id: "Sample/0", language: "python", title: "Sample/0: running_max" });
    expect(task?.prompt).toContain("def running_max(values: List[int]) -> List[int]:");
    expect(task?.prompt).toContain("solution.py");
    expect(task?.prompt).not.toContain("out.append"); // the reference solution is never shown
    expect(task?.tests["test_hidden.py"]).toContain("def test_running_max():\n    check(running_max)");
  });

  it("reads MBPP's layout: the first assert shown, every assert (challenge ones too) hidden", () => {
    const parsed = parseSuiteJsonl(MBPP_LINE, "mbpp");
    if (!parsed.ok) throw new Error(parsed.error);
    const [task] = parsed.suite.tasks;
    expect(task).toMatchObject({ id: "MBPP/901", title: "MBPP/901: count_vowels" });
    expect(task?.prompt).toContain("assert count_vowels('hello') == 2");
    expect(task?.prompt).not.toContain("rhythm");
    expect(task?.tests["test_hidden.py"]).toContain("def test_4():\n    assert count_vowels('rhythm') == 0");
  });

  it("a blank task_id is read as none: the task is named by its function, not by an empty id", () => {
    const blank = (line: string, id: string) => JSON.stringify({ ...JSON.parse(line), task_id: id });
    const parsed = parseSuiteJsonl(`${blank(HUMANEVAL_LINE, "")}\n${blank(MBPP_LINE, "  ")}`, "x");
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.suite.tasks.map((task) => [task.id, task.title])).toEqual([
      ["running_max", "running_max: running_max"],
      ["count_vowels", "count_vowels: count_vowels"],
    ]);
  });

  it("names the first bad line", () => {
    expect(parseSuiteJsonl(`${HUMANEVAL_LINE}\n{oops`, "x")).toEqual({ ok: false, error: "line 2 is not valid JSON" });
    const long = JSON.stringify({
      task_id: "Long/0",
      prompt: `def f():\n    """${"x".repeat(20_000)}"""\n`,
      test: "def check(c): pass",
      entry_point: "f",
    });
    expect(parseSuiteJsonl(long, "x")).toEqual({
      ok: false,
      error: "line 1: the task is too long: keep it under 20,000 characters, as a session's task",
    });
    expect(parseSuiteJsonl('{"a": 1}', "x")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^line 1 has neither/),
    });
    expect(parseSuiteJsonl(`${MBPP_LINE}\n${MBPP_LINE}`, "x")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/twice/),
    });
    expect(parseSuiteJsonl('{"task_id":1,"prompt":"x","test":"y","entry_point":"not a name"}', "x")).toMatchObject({
      ok: false,
    });
    expect(parseSuiteJsonl("\n\n", "x")).toEqual({ ok: false, error: "the file has no tasks" });
    // saved by a Windows editor: a byte-order mark before line 1, CRLF line ends
    const withBom = parseSuiteJsonl(`\uFEFF${HUMANEVAL_LINE}\r\n${MBPP_LINE}\r\n`, "x");
    expect(withBom.ok && withBom.suite.tasks.map((task) => task.id)).toEqual(["Sample/0", "MBPP/901"]);
    expect(detectFormat({ text: "", test_list: [] })).toBe("mbpp");
  });

  it("makes hidden tests that pass on the reference solution and fail on a wrong one, in the sandbox", async () => {
    const parsed = parseSuiteJsonl(`${HUMANEVAL_LINE}\n${MBPP_LINE}`, "both");
    if (!parsed.ok) throw new Error(parsed.error);
    const [humaneval, mbpp] = parsed.suite.tasks;
    const reference = JSON.parse(HUMANEVAL_LINE);
    const solved = await runTests({
      files: { "solution.py": reference.prompt + reference.canonical_solution, ...humaneval?.tests },
      language: "python",
    });
    expect(reportPassed(solved)).toBe(true);
    const mbppSolved = await runTests({
      files: { "solution.py": JSON.parse(MBPP_LINE).code, ...mbpp?.tests },
      language: "python",
    });
    expect(mbppSolved.counts).toMatchObject({ passed: 4, total: 4 });
    const wrong = await runTests({
      files: { "solution.py": "def count_vowels(s):\n    return len(s)\n", ...mbpp?.tests },
      language: "python",
    });
    expect(wrong.counts).toMatchObject({ passed: 2, failed: 2 }); // "" and "AEIOU" pass by chance
  }, 60_000);
});
