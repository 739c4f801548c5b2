import type { Suite, SuiteTask } from "./types";

/**
 * The built-in suite: 20 small tasks in the style of HumanEval and MBPP (a function from a
 * description, graded by hidden tests), 10 in Python and 10 in TypeScript, written for this
 * project. Each prompt names the file and the function; the hidden tests import it from there.
 */

function python(name: string, title: string, prompt: string, tests: string): SuiteTask {
  return {
    id: `py/${name}`,
    title,
    language: "python",
    prompt: `${prompt}\nWrite it in solution.py (standard library only).`,
    tests: { [`test_hidden_${name}.py`]: `from solution import ${name}\n\n${tests.trim()}\n` },
  };
}

function typescript(name: string, title: string, prompt: string, tests: string): SuiteTask {
  return {
    id: `ts/${name}`,
    title,
    language: "typescript",
    prompt: `${prompt}\nExport it from solution.ts (no npm packages).`,
    tests: {
      [`hidden_${name}.test.ts`]: `import { describe, expect, it } from "vitest";\nimport { ${name} } from "./solution";\n\ndescribe("${name}", () => {\n${tests.trim()}\n});\n`,
    },
  };
}

const PYTHON_TASKS: SuiteTask[] = [
  python(
    "is_palindrome",
    "Palindrome check",
    "Write `is_palindrome(text: str) -> bool`: True when the text reads the same backwards, ignoring case and every character that is not a letter or a digit.",
    `
def test_phrases():
    assert is_palindrome("A man, a plan, a canal: Panama")
    assert not is_palindrome("race a car")

def test_edges():
    assert is_palindrome("")
    assert is_palindrome("No 'x' in Nixon")
    assert not is_palindrome("ab")`,
  ),
  python(
    "fizzbuzz",
    "FizzBuzz lines",
    'Write `fizzbuzz(n: int) -> list[str]`: the lines for 1..n, "Fizz" for multiples of 3, "Buzz" for multiples of 5, "FizzBuzz" for both, otherwise the number.',
    `
def test_first_fifteen():
    assert fizzbuzz(15)[-1] == "FizzBuzz"
    assert fizzbuzz(5) == ["1", "2", "Fizz", "4", "Buzz"]

def test_empty():
    assert fizzbuzz(0) == []`,
  ),
  python(
    "two_sum",
    "Two sum",
    "Write `two_sum(nums: list[int], target: int) -> tuple[int, int]`: the indices i < j of the two numbers that add up to target (exactly one answer exists).",
    `
def test_examples():
    assert two_sum([2, 7, 11, 15], 9) == (0, 1)
    assert two_sum([3, 2, 4], 6) == (1, 2)
    assert two_sum([3, 3], 6) == (0, 1)

def test_negative():
    assert two_sum([-4, 1, 9, 5], 1) == (0, 3)`,
  ),
  python(
    "flatten",
    "Flatten nested lists",
    "Write `flatten(items: list) -> list`: every non-list element of an arbitrarily nested list, in order.",
    `
def test_nested():
    assert flatten([1, [2, [3, [4]], 5]]) == [1, 2, 3, 4, 5]

def test_empty_lists():
    assert flatten([[], [[]], 0]) == [0]
    assert flatten([]) == []

def test_strings_stay_whole():
    assert flatten(["ab", ["cd"]]) == ["ab", "cd"]`,
  ),
  python(
    "word_count",
    "Word frequencies",
    "Write `word_count(text: str) -> dict[str, int]`: how often each word occurs, words lower-cased, a word being a run of letters, digits or apostrophes.",
    `
def test_counts():
    assert word_count("The cat and the hat") == {"the": 2, "cat": 1, "and": 1, "hat": 1}

def test_punctuation():
    assert word_count("Don't stop, don't!") == {"don't": 2, "stop": 1}
    assert word_count("") == {}`,
  ),
  python(
    "is_prime",
    "Prime test",
    "Write `is_prime(n: int) -> bool` for any integer n (numbers below 2 are not prime).",
    `
def test_small():
    assert [n for n in range(20) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19]

def test_large_and_negative():
    assert is_prime(7919)
    assert not is_prime(7917)
    assert not is_prime(-7)`,
  ),
  python(
    "roman_to_int",
    "Roman numerals to integers",
    'Write `roman_to_int(numeral: str) -> int` for Roman numerals from I to MMMCMXCIX, e.g. "MCMXCIV" → 1994.',
    `
def test_values():
    assert roman_to_int("III") == 3
    assert roman_to_int("IV") == 4
    assert roman_to_int("LVIII") == 58
    assert roman_to_int("MCMXCIV") == 1994
    assert roman_to_int("MMMCMXCIX") == 3999`,
  ),
  python(
    "merge_intervals",
    "Merge intervals",
    "Write `merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]`: merge overlapping or touching closed intervals and return them sorted by start.",
    `
def test_merge():
    assert merge_intervals([(1, 3), (8, 10), (2, 6), (15, 18)]) == [(1, 6), (8, 10), (15, 18)]

def test_touching_and_contained():
    assert merge_intervals([(1, 4), (4, 5)]) == [(1, 5)]
    assert merge_intervals([(1, 10), (2, 3)]) == [(1, 10)]
    assert merge_intervals([]) == []`,
  ),
  python(
    "rle_encode",
    "Run-length encoding",
    'Write `rle_encode(text: str) -> str`: each run of the same character as the character followed by the run length, e.g. "aaabcc" → "a3b1c2".',
    `
def test_runs():
    assert rle_encode("aaabcc") == "a3b1c2"
    assert rle_encode("abc") == "a1b1c1"

def test_long_and_empty():
    assert rle_encode("z" * 12) == "z12"
    assert rle_encode("") == ""`,
  ),
  python(
    "balanced",
    "Balanced brackets",
    "Write `balanced(text: str) -> bool`: True when every (, [ and { in the text is closed by the matching bracket in the right order; other characters are ignored.",
    `
def test_balanced():
    assert balanced("([]{})")
    assert balanced("f(a[0], {b: 1})")
    assert balanced("")

def test_unbalanced():
    assert not balanced("(]")
    assert not balanced("([)]")
    assert not balanced("((")
    assert not balanced(")")`,
  ),
];

const TYPESCRIPT_TASKS: SuiteTask[] = [
  typescript(
    "chunk",
    "Chunk an array",
    "Write `chunk<T>(items: readonly T[], size: number): T[][]`: the items in consecutive groups of `size` (the last may be shorter); throw a RangeError when size is not a positive integer.",
    `
  it("groups", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
  it("rejects a bad size", () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });`,
  ),
  typescript(
    "capitalizeWords",
    "Capitalize words",
    "Write `capitalizeWords(text: string): string`: upper-case the first letter of every word (words are separated by spaces) and lower-case the rest, keeping the spaces as they are.",
    `
  it("capitalizes", () => {
    expect(capitalizeWords("hello wORLD")).toBe("Hello World");
    expect(capitalizeWords("  two  spaces ")).toBe("  Two  Spaces ");
    expect(capitalizeWords("")).toBe("");
  });`,
  ),
  typescript(
    "uniqueBy",
    "Unique by key",
    "Write `uniqueBy<T, K>(items: readonly T[], key: (item: T) => K): T[]`: the items whose key was not seen before, first occurrence kept, order kept.",
    `
  it("keeps the first of each key", () => {
    const people = [{ id: 1, n: "a" }, { id: 2, n: "b" }, { id: 1, n: "c" }];
    expect(uniqueBy(people, (p) => p.id)).toEqual([{ id: 1, n: "a" }, { id: 2, n: "b" }]);
  });
  it("treats NaN keys as equal", () => {
    expect(uniqueBy([1, 2, 3], () => Number.NaN)).toEqual([1]);
  });`,
  ),
  typescript(
    "camelToSnake",
    "camelCase to snake_case",
    'Write `camelToSnake(name: string): string`: e.g. "parseHttpResponse" → "parse_http_response"; runs of capitals are one word ("userID" → "user_id", "HTMLParser" → "html_parser").',
    `
  it("converts", () => {
    expect(camelToSnake("parseHttpResponse")).toBe("parse_http_response");
    expect(camelToSnake("userID")).toBe("user_id");
    expect(camelToSnake("HTMLParser")).toBe("html_parser");
    expect(camelToSnake("already_snake")).toBe("already_snake");
  });`,
  ),
  typescript(
    "median",
    "Median",
    "Write `median(values: readonly number[]): number`: the middle value of the sorted values, the mean of the two middle ones for an even count; throw a RangeError for an empty list. Don't change the input.",
    `
  it("finds the middle", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 2, 33])).toBe(10);
  });
  it("leaves the input alone and rejects empty lists", () => {
    const input = [3, 1, 2];
    median(input);
    expect(input).toEqual([3, 1, 2]);
    expect(() => median([])).toThrow(RangeError);
  });`,
  ),
  typescript(
    "groupBy",
    "Group by key",
    "Write `groupBy<T>(items: readonly T[], key: (item: T) => string): Record<string, T[]>`: the items grouped by their key, each group in input order.",
    `
  it("groups", () => {
    expect(groupBy(["apple", "avocado", "banana"], (w) => w[0] ?? "")).toEqual({
      a: ["apple", "avocado"],
      b: ["banana"],
    });
    expect(groupBy([], String)).toEqual({});
  });`,
  ),
  typescript(
    "binarySearch",
    "Binary search",
    "Write `binarySearch(sorted: readonly number[], target: number): number`: the index of target in an ascending array, or -1 when it is absent.",
    `
  it("finds or says -1", () => {
    const values = [1, 3, 5, 7, 9, 11];
    values.forEach((v, i) => expect(binarySearch(values, v)).toBe(i));
    expect(binarySearch(values, 4)).toBe(-1);
    expect(binarySearch([], 1)).toBe(-1);
  });`,
  ),
  typescript(
    "fibonacci",
    "Fibonacci numbers",
    "Write `fibonacci(n: number): number`: the n-th Fibonacci number (fibonacci(0) = 0, fibonacci(1) = 1), fast enough for n = 70.",
    `
  it("computes", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(fibonacci)).toEqual([0, 1, 1, 2, 3, 5, 8]);
    expect(fibonacci(50)).toBe(12586269025);
    expect(fibonacci(70)).toBe(190392490709135);
  });`,
  ),
  typescript(
    "isAnagram",
    "Anagrams",
    "Write `isAnagram(a: string, b: string): boolean`: true when the two use the same letters the same number of times, ignoring case and spaces.",
    `
  it("compares letters", () => {
    expect(isAnagram("Dormitory", "dirty room")).toBe(true);
    expect(isAnagram("listen", "silent")).toBe(true);
    expect(isAnagram("aab", "abb")).toBe(false);
  });`,
  ),
  typescript(
    "parseQuery",
    "Parse a query string",
    'Write `parseQuery(query: string): Record<string, string[]>`: the values of each key of a URL query string (with or without a leading "?"), percent-decoded, "+" as a space, in order.',
    `
  it("parses", () => {
    expect(parseQuery("?a=1&b=x%20y&a=2")).toEqual({ a: ["1", "2"], b: ["x y"] });
    expect(parseQuery("q=hello+world&empty=")).toEqual({ q: ["hello world"], empty: [""] });
    expect(parseQuery("")).toEqual({});
  });`,
  ),
];

export const BUILTIN_SUITE: Suite = {
  id: "builtin",
  name: "Built-in: 20 small functions (Python and TypeScript)",
  tasks: [...PYTHON_TASKS, ...TYPESCRIPT_TASKS],
};
