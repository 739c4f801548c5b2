import { MAX_TASK_LENGTH } from "@/lib/sessions/limits";
import type { Suite, SuiteTask } from "./types";

/**
 * Suites from JSONL in the published layouts of HumanEval (openai/human-eval:
 * task_id, prompt, canonical_solution, test, entry_point) and MBPP (google-research/mbpp:
 * task_id, text, code, test_list, test_setup_code, challenge_test_list), one task a line.
 * Both are Python. The reference solutions are never shown to the model or used.
 *
 * - HumanEval: the model gets the function's signature and docstring (`prompt`) to complete
 *   in solution.py; the hidden test file imports everything from solution, then runs the
 *   set's `check(candidate)` on `entry_point`.
 * - MBPP: the model gets the description and the first of the set's asserts (which names the
 *   function, as MBPP's own prompt does); all asserts, and the challenge ones, are hidden
 *   tests, one test function each, after the set's setup code.
 */

export type JsonlFormat = "humaneval" | "mbpp";

export type ImportResult = { ok: true; suite: Suite } | { ok: false; error: string };

/** More tasks than this in one import are refused: a suite run makes a session per task and model. */
export const MAX_IMPORTED_TASKS = 1000;

const isString = (value: unknown): value is string => typeof value === "string";

/** A line's task_id when it has one: a number, or a string with something in it ("" and "  " are none). */
function givenId(taskId: unknown): string | null {
  if (typeof taskId === "number") return String(taskId);
  return isString(taskId) && taskId.trim() !== "" ? taskId : null;
}

function humanEvalTask(row: Record<string, unknown>): SuiteTask | string {
  const { task_id, prompt, test, entry_point } = row;
  if (!isString(prompt) || !isString(test) || !isString(entry_point)) {
    return "a HumanEval line needs prompt, test and entry_point as strings";
  }
  if (!/^[A-Za-z_]\w*$/.test(entry_point)) return `entry_point "${entry_point}" is not a Python function name`;
  const id = givenId(task_id) ?? entry_point;
  return {
    id,
    title: `${id}: ${entry_point}`,
    language: "python",
    prompt: `Complete this Python function and save the whole module as solution.py (standard library only):\n\n\`\`\`python\n${prompt.replace(/\n+$/, "")}\n\`\`\``,
    tests: {
      "test_hidden.py": `from solution import *  # noqa: F403\n\n${test.trim()}\n\n\ndef test_${entry_point}():\n    check(${entry_point})\n`,
    },
  };
}

function indentBody(code: string): string {
  return code
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

function mbppTask(row: Record<string, unknown>): SuiteTask | string {
  const { task_id, text, test_list, test_setup_code, challenge_test_list } = row;
  if (!isString(text) || !Array.isArray(test_list) || test_list.length === 0 || !test_list.every(isString)) {
    return "an MBPP line needs text and a non-empty test_list of strings";
  }
  const challenge = Array.isArray(challenge_test_list) ? challenge_test_list.filter(isString) : [];
  const asserts = [...test_list, ...challenge];
  const name = /assert\s*\(?\s*(?:not\s+)?(?:set\(|math\.isclose\()?\s*([A-Za-z_]\w*)\s*\(/.exec(
    test_list[0] ?? "",
  )?.[1];
  const given = givenId(task_id);
  const id = given !== null ? `MBPP/${given}` : (name ?? "task");
  const setup = isString(test_setup_code) && test_setup_code.trim() ? `${test_setup_code.trim()}\n\n` : "";
  const cases = asserts.map((assertion, i) => `def test_${i + 1}():\n${indentBody(assertion)}\n`).join("\n\n");
  return {
    id,
    title: `${id}${name ? `: ${name}` : ""}`,
    language: "python",
    prompt: `${text.trim()}\nWrite it in Python in solution.py (standard library only). Your code should pass tests like:\n\n\`\`\`python\n${test_list[0]}\n\`\`\``,
    tests: { "test_hidden.py": `from solution import *  # noqa: F403\n\n${setup}\n${cases}` },
  };
}

/** Which layout a line has: HumanEval's `entry_point`, or MBPP's `test_list`. */
export function detectFormat(row: Record<string, unknown>): JsonlFormat | null {
  if ("entry_point" in row && "test" in row) return "humaneval";
  if ("test_list" in row && "text" in row) return "mbpp";
  return null;
}

/**
 * A suite from JSONL text. Every line must parse and have one of the two layouts (mixed is
 * fine); blank lines and a leading byte-order mark are skipped. An error names the first bad line.
 */
export function parseSuiteJsonl(text: string, name: string, format?: JsonlFormat): ImportResult {
  const tasks: SuiteTask[] = [];
  const ids = new Set<string>();
  // A byte-order mark (Windows editors write one) is not part of line 1's JSON.
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const at = `line ${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return { ok: false, error: `${at} is not valid JSON` };
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      return { ok: false, error: `${at} is not a JSON object` };
    }
    const record = row as Record<string, unknown>;
    const layout = format ?? detectFormat(record);
    if (!layout) {
      return {
        ok: false,
        error: `${at} has neither HumanEval's fields (prompt, test, entry_point) nor MBPP's (text, test_list)`,
      };
    }
    const task = layout === "humaneval" ? humanEvalTask(record) : mbppTask(record);
    if (typeof task === "string") return { ok: false, error: `${at}: ${task}` };
    if (task.prompt.length > MAX_TASK_LENGTH) {
      return {
        ok: false,
        error: `${at}: the task is too long: keep it under ${MAX_TASK_LENGTH.toLocaleString("en-US")} characters, as a session's task`,
      };
    }
    if (ids.has(task.id)) return { ok: false, error: `${at}: task_id ${task.id} appears twice` };
    ids.add(task.id);
    tasks.push(task);
    if (tasks.length > MAX_IMPORTED_TASKS) {
      return { ok: false, error: `more than ${MAX_IMPORTED_TASKS} tasks: split the file` };
    }
  }
  if (tasks.length === 0) return { ok: false, error: "the file has no tasks" };
  return { ok: true, suite: { id: "imported", name, tasks } };
}
