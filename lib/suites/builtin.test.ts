import { describe, expect, it } from "vitest";
import { runTests } from "@/lib/sandbox";
import { reportPassed } from "@/lib/sandbox/counts";
import { BUILTIN_SUITE } from "./builtin";

/** Reference solutions, written for these tests: the hidden tests must pass on correct code. */
const PYTHON_SOLUTION = `import re


def is_palindrome(text):
    kept = [c.lower() for c in text if c.isalnum()]
    return kept == kept[::-1]


def fizzbuzz(n):
    return ["FizzBuzz" if i % 15 == 0 else "Fizz" if i % 3 == 0 else "Buzz" if i % 5 == 0 else str(i) for i in range(1, n + 1)]


def two_sum(nums, target):
    seen = {}
    for j, value in enumerate(nums):
        if target - value in seen:
            return (seen[target - value], j)
        seen.setdefault(value, j)


def flatten(items):
    out = []
    for item in items:
        out.extend(flatten(item) if isinstance(item, list) else [item])
    return out


def word_count(text):
    counts = {}
    for word in re.findall(r"[A-Za-z0-9']+", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    return counts


def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def roman_to_int(numeral):
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, c in enumerate(numeral):
        v = values[c]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


def merge_intervals(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def rle_encode(text):
    return "".join(f"{m.group(1)}{len(m.group(0))}" for m in re.finditer(r"(.)\\1*", text, re.S))


def balanced(text):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for c in text:
        if c in "([{":
            stack.append(c)
        elif c in pairs:
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack
`;

const TS_SOLUTION = `export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be a positive integer");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
export const capitalizeWords = (text: string) =>
  text.replace(/[^ ]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
export function uniqueBy<T, K>(items: readonly T[], key: (item: T) => K): T[] {
  const seen = new Set<K>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
export const camelToSnake = (name: string) =>
  name.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("empty");
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) (out[key(item)] ??= []).push(item);
  return out;
}
export function binarySearch(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === target) return mid;
    if (v < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
export function fibonacci(n: number): number {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}
const letters = (s: string) => s.toLowerCase().replace(/ /g, "").split("").sort().join("");
export const isAnagram = (a: string, b: string) => letters(a) === letters(b);
export function parseQuery(query: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of query.replace(/^\\?/, "").split("&")) {
    if (!part) continue;
    const [k = "", v = ""] = part.split("=");
    const decode = (s: string) => decodeURIComponent(s.replace(/\\+/g, " "));
    (out[decode(k)] ??= []).push(decode(v));
  }
  return out;
}
`;

describe("the built-in suite", () => {
  it("has 20 tasks, 10 per language, unique ids, each naming its file", () => {
    const { tasks } = BUILTIN_SUITE;
    expect(tasks).toHaveLength(20);
    expect(tasks.filter((task) => task.language === "python")).toHaveLength(10);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(20);
    for (const task of tasks) expect(task.prompt).toMatch(task.language === "python" ? /solution\.py/ : /solution\.ts/);
  });

  it.each(["python", "typescript"] as const)(
    "its hidden %s tests pass on correct code and fail on wrong code",
    async (language) => {
      const tasks = BUILTIN_SUITE.tasks.filter((task) => task.language === language);
      const tests = Object.assign({}, ...tasks.map((task) => task.tests)) as Record<string, string>;
      const solutionFile = language === "python" ? "solution.py" : "solution.ts";
      const right = await runTests({
        files: { [solutionFile]: language === "python" ? PYTHON_SOLUTION : TS_SOLUTION, ...tests },
        language,
      });
      expect(right.tests.filter((test) => test.status !== "pass")).toEqual([]);
      expect(reportPassed(right)).toBe(true);
      expect(right.testFiles).toHaveLength(10);

      const broken =
        language === "python"
          ? PYTHON_SOLUTION.replace("kept == kept[::-1]", "True")
          : TS_SOLUTION.replace("return -1;\n}", "return 0;\n}");
      const wrong = await runTests({ files: { [solutionFile]: broken, ...tests }, language });
      expect(wrong.counts.failed).toBeGreaterThan(0);
    },
    // two cold Pyodide starts in sandbox threads niced below everything else (SANDBOX_NICE):
    // seconds on an idle machine, a minute and more on a busy one
    180_000,
  );
});
