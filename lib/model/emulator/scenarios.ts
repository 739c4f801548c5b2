import type { Scenario, ScriptedTurn } from "./types";

/**
 * Scripted conversations the emulator plays back, one turn per model request. The first
 * one is the default. Edit freely: tests read the turns from here rather than copying them.
 */

const SUM_SOURCE = `/** Adds every number in \`values\`. */
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value);
}
`;

const SUM_TEST = `import { describe, expect, it } from "vitest";
import { sum } from "./sum";

describe("sum", () => {
  it("adds positive numbers", () => {
    expect(sum([1, 2, 3])).toBe(6);
  });

  it("handles negative numbers", () => {
    expect(sum([5, -2, -3])).toBe(0);
  });

  it("returns 0 for an empty list", () => {
    expect(sum([])).toBe(0);
  });
});
`;

const sum: Scenario = {
  id: "sum",
  title: "Sum function with tests",
  keywords: ["sum"],
  turns: [
    {
      thinking:
        "The task asks for a sum function in TypeScript, with tests. Nothing exists in the workspace yet, so I will start with the implementation in src/sum.ts. A reduce over the array is the most direct way to add the numbers up, and typing the parameter as readonly number[] lets callers pass frozen arrays too. I will write the file first and add the tests in the next step.",
      toolCalls: [{ name: "write_file", input: { path: "src/sum.ts", content: SUM_SOURCE } }],
    },
    {
      thinking:
        "src/sum.ts is written. Now the tests: a plain case with positive numbers, a case where negative numbers cancel out, and the empty list, which should give 0 because 0 is the identity for addition. I will put them in src/sum.test.ts next to the source and use vitest's describe, it and expect.",
      toolCalls: [{ name: "write_file", input: { path: "src/sum.test.ts", content: SUM_TEST } }],
    },
    {
      thinking:
        "Before finishing I reread src/sum.ts against the tests. The empty-list case will fail: reduce without an initial value throws a TypeError on an empty array instead of returning 0. Passing 0 as the initial value fixes that and makes the accumulator's type explicit. It is a one-line change, so an edit is better than rewriting the file.",
      toolCalls: [
        {
          name: "edit_file",
          input: {
            path: "src/sum.ts",
            old_string: "values.reduce((total, value) => total + value);",
            new_string: "values.reduce((total, value) => total + value, 0);",
          },
        },
      ],
    },
    {
      thinking:
        "The implementation now handles the empty list, and the tests cover positive numbers, negative numbers and the empty case. Nothing in the task is left open. I will summarise what was written and the one bug the tests caught, so the change is quick to review.",
      text: `## Summary

- **\`src/sum.ts\`** — \`sum(values)\` adds a list of numbers with \`reduce\`.
- **\`src/sum.test.ts\`** — vitest cases for positive numbers, negative numbers and the empty list.

**Fixed along the way:** \`reduce\` without an initial value throws on an empty array, so \`sum([])\` crashed instead of returning \`0\`. Passing \`0\` as the initial value fixes it.

Run the tests with \`npx vitest run src/sum.test.ts\`.`,
    },
  ],
};

const FIZZBUZZ_SOURCE = `/** The FizzBuzz lines for 1..n: multiples of 3 are "Fizz", of 5 "Buzz", of both "FizzBuzz". */
export function fizzbuzz(n: number): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    if (i % 15 === 0) lines.push("FizzBuzz");
    else if (i % 3 === 0) lines.push("Fizz");
    else if (i % 5 === 0) lines.push("Buzz");
    else lines.push(String(i));
  }
  return lines;
}
`;

const fizzbuzz: Scenario = {
  id: "fizzbuzz",
  title: "FizzBuzz",
  keywords: ["fizzbuzz", "fizz buzz"],
  turns: [
    {
      thinking:
        "The person wants FizzBuzz. Before writing anything I should check what is already in the workspace, in case there is a src folder with its own conventions or a file I would overwrite. list_files takes no arguments and shows every path, which is enough to decide where the function goes.",
      text: "Let me look at the workspace first.",
      toolCalls: [{ name: "list_files", input: {} }],
    },
    {
      thinking:
        "There is no src/fizzbuzz.ts yet, so the path is free. I will export a function that returns the lines for 1 to n instead of printing them: a pure function is easier to test, and a caller can still log the result. Multiples of 15 have to be checked before 3 and 5, otherwise they would come out as plain Fizz.",
      toolCalls: [{ name: "write_file", input: { path: "src/fizzbuzz.ts", content: FIZZBUZZ_SOURCE } }],
    },
    {
      thinking:
        "The file is written and the order of the checks is right: 15 first, then 3, then 5, then the number itself. The task did not ask for tests, so I will stop here and explain how to use the function.",
      text: 'Added **`src/fizzbuzz.ts`**: `fizzbuzz(n)` returns the FizzBuzz lines for 1..n as an array, checking multiples of 15 before 3 and 5. Print them with `console.log(fizzbuzz(100).join("\\n"))`.',
    },
  ],
};

const LRU_SOURCE = `/** A least-recently-used cache: reading or writing a key makes it the newest entry. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError("capacity must be a positive integer");
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    // Map keeps insertion order, so re-inserting moves the key to the newest end.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }
}
`;

const LRU_TEST = `import { describe, expect, it } from "vitest";
import { LruCache } from "./lru";

describe("LruCache", () => {
  it("evicts the least recently used entry", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("overwrites a key without growing", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 2);
    expect(cache.size).toBe(1);
    expect(cache.get("a")).toBe(2);
  });

  it("keeps undefined values distinct from missing keys", () => {
    const cache = new LruCache<string, number | undefined>(1);
    cache.set("a", undefined);
    expect(cache.size).toBe(1);
  });

  it("rejects a capacity below 1", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
`;

const LRU_TURNS: ScriptedTurn[] = [
  {
    thinking: `The task is an LRU cache in TypeScript with a fixed capacity, where reading or writing a key makes it the most recently used, and inserting past the capacity evicts the least recently used key. The classic answer is a hash map plus a doubly linked list, which gives constant time for get, set and eviction. In JavaScript there is a simpler option with the same complexity: Map preserves insertion order, and deleting a key and inserting it again moves it to the end. So the oldest entry is always the first key the iterator returns, and eviction is a single call to keys().next(). That removes the whole linked-list bookkeeping, which is where most LRU bugs live: forgetting to unlink a node, or updating head but not tail.

There are a few edge cases to decide up front. A capacity of zero or a negative or fractional number makes no sense, so the constructor should throw a RangeError rather than silently behaving like an empty cache. Setting a key that already exists must not count twice against the capacity, so set should delete before inserting. And get has to distinguish a missing key from a key whose value is undefined; checking has() first handles that without a sentinel value. I will also expose size, because tests and callers both want it, and a delete method since a cache without invalidation is rarely useful in practice.

I will write src/lru.ts now with a short comment on why re-inserting works, since that trick is not obvious to a reader who expects a linked list.`,
    text: "I'll implement the cache on top of `Map`, whose insertion order gives LRU ordering for free, then add tests for eviction, overwriting and the capacity check.",
    toolCalls: [{ name: "write_file", input: { path: "src/lru.ts", content: LRU_SOURCE } }],
  },
  {
    thinking: `The implementation is in place, so now the tests. The most important behaviour is eviction order, and the interesting case is not the plain one where the first inserted key is evicted; it is the case where a read refreshes a key. If I insert a and b into a cache of capacity two, read a, and then insert c, the key that must go is b, even though a was inserted first. That single test catches both a cache that ignores reads and a cache that evicts by insertion time.

Next, overwriting: setting the same key twice in a cache of capacity two must leave the size at one and return the second value. A naive implementation that only calls set on the map would pass the value check but could miscount if it tracked size separately, so asserting size matters. Then the undefined case: a value of undefined is a legitimate entry, and it must count toward the size. Finally, the constructor guard: a capacity of zero must throw a RangeError.

I am choosing vitest because it runs TypeScript directly without a build step, and describe, it and expect read naturally. Each test builds its own cache so the cases stay independent and can run in any order. I will keep the assertions specific, toBeUndefined rather than toBeFalsy, so a stored zero or empty string could never pass by accident.`,
    toolCalls: [{ name: "write_file", input: { path: "src/lru.test.ts", content: LRU_TEST } }],
  },
  {
    thinking: `Before summarising I want to reread the implementation as it is stored, not as I remember writing it, to check two details the tests lean on. First, the get path: it checks has before reading, then deletes and re-inserts, which is what refreshes recency. If the order were reversed, reading a missing key would insert undefined, which the third test would notice only indirectly. Second, eviction in set: the delete happens before the insert, so overwriting an existing key never pushes the size over the capacity, and the eviction branch only runs when a genuinely new key arrives at a full cache.

There is also the question of the type assertion on the iterator result. keys().next().value is typed as K or undefined, because the iterator could be exhausted; here it cannot be, since the size is above the capacity and the capacity is at least one. The assertion is therefore safe, but it is worth confirming that the constructor guard really rejects zero, otherwise an empty map could reach that line. Reading the file settles both points at once.`,
    toolCalls: [{ name: "read_file", input: { path: "src/lru.ts" } }],
  },
  {
    thinking: `The file matches what I intended. get checks has first, then deletes and re-inserts; set deletes before inserting and evicts only when the size exceeds the capacity; the constructor rejects anything that is not a positive integer, so the iterator assertion can never see an empty map. The tests cover the refresh-on-read eviction order, overwriting, undefined values and the capacity guard.

What is left is the explanation. The person will care most about why there is no linked list, what the complexity is, and what the limits are: this cache is not safe to share across workers, it has no time-based expiry, and the capacity counts entries rather than bytes. I should mention how one would add a time-to-live or a size-in-bytes budget if they need it, without writing that code unasked. A short markdown summary with a table of the operations and their costs will make it easy to scan, followed by the trade-offs and how to run the tests.`,
    text: `## LRU cache

**Files**

- \`src/lru.ts\` — \`LruCache<K, V>\` with \`get\`, \`set\`, \`delete\` and \`size\`.
- \`src/lru.test.ts\` — vitest cases for eviction order, overwriting, \`undefined\` values and the capacity guard.

**How it works**

A JavaScript \`Map\` remembers insertion order. Deleting a key and inserting it again moves it to the newest end, so the least recently used key is always the first one the iterator returns. That gives the same behaviour as the textbook hash map plus doubly linked list, with none of the pointer bookkeeping where LRU bugs usually hide.

| operation | cost | effect on recency |
|---|---|---|
| \`get(key)\` | O(1) | refreshes the key |
| \`set(key, value)\` | O(1) | refreshes the key; evicts the oldest when full |
| \`delete(key)\` | O(1) | removes the key |
| \`size\` | O(1) | none |

**Decisions**

- The constructor throws a \`RangeError\` for a capacity that is not a positive integer, instead of acting like a cache that forgets everything.
- Overwriting an existing key deletes it first, so it never counts twice against the capacity.
- \`get\` checks \`has\` before reading, so a stored \`undefined\` is a real entry and a missing key is not.

**Limits**

- Capacity counts entries, not bytes. For a memory budget, track an estimated size per entry and evict in \`set\` until the total fits.
- There is no expiry. A time-to-live needs a timestamp per entry and a check in \`get\`; lazy expiry on read keeps it O(1).
- It is an in-process structure: each worker or server instance has its own cache.

Run the tests with \`npx vitest run src/lru.test.ts\`.`,
  },
];

const long: Scenario = {
  id: "long",
  title: "LRU cache (long turns, for benchmarks)",
  keywords: ["benchmark", "lru"],
  turns: LRU_TURNS,
};

/**
 * Output PostgreSQL can't store as it is: NUL (U+0000) and lone surrogates in thinking,
 * text, tool arguments and a file name. Only by id; a model may send any of it.
 */
const unstorable: Scenario = {
  id: "unstorable",
  title: "Output with NUL and lone surrogates",
  keywords: [],
  turns: [
    {
      thinking: "before\u0000after: the first turn's reasoning carries a NUL character. The file name has one too.",
      toolCalls: [{ name: "write_file", input: { path: "notes/nul\u0000name.txt", content: "x\n" } }],
    },
    {
      thinking:
        "A lone high surrogate \ud800 and a lone low one \udc00 sit in this reasoning. The file's content has both kinds.",
      toolCalls: [{ name: "write_file", input: { path: "src/odd.txt", content: "a\u0000b\udc00c 😀\n" } }],
    },
    {
      thinking: "Both files are handled. One more \u0000 and a split pair \ud83d come before the answer.",
      text: "Done: \u0000 and \ud83d end here.",
    },
  ],
};

/** A file whose text is itself markup, including the closing tags of MiniMax's XML tool-call format. */
export const MARKUP_FILE = `<?xml version="1.0"?>
<!-- a template for the model's own tool-call format -->
<tool_call_example>
  <invoke name="write_file">
    <parameter name="path">a.txt</parameter>
  </invoke>
  </minimax:tool_call>
</tool_call_example>
`;

const markup: Scenario = {
  id: "markup",
  title: "A file that contains tool-call markup",
  keywords: ["tool-call markup"],
  turns: [
    {
      thinking:
        "The person wants an XML example of the tool-call format saved as docs/example.xml. Its text contains closing tags like </parameter> and </invoke>, which must land in the file exactly as written.",
      text: "Saving the example file.",
      toolCalls: [{ name: "write_file", input: { path: "docs/example.xml", content: MARKUP_FILE } }],
    },
    {
      thinking: "The file is written with every tag intact. I will say where it is.",
      text: "Saved **`docs/example.xml`**, markup and all.",
    },
  ],
};

const ROMAN_SOURCE = `"""Roman numerals."""

NUMERALS = [
    (1000, "M"),
    (500, "D"),
    (100, "C"),
    (50, "L"),
    (10, "X"),
    (5, "V"),
    (1, "I"),
]


def to_roman(number: int) -> str:
    """The Roman numeral for 1..3999, e.g. to_roman(1994) == "MCMXCIV"."""
    if not 0 < number < 4000:
        raise ValueError("Roman numerals cover 1 to 3999")
    out = []
    for value, letters in NUMERALS:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
`;

const ROMAN_TEST = `import pytest

from roman import to_roman


@pytest.mark.parametrize("number, expected", [(1, "I"), (3, "III"), (8, "VIII"), (2023, "MMXXIII")])
def test_additive_numerals(number, expected):
    assert to_roman(number) == expected


def test_four_is_subtractive():
    assert to_roman(4) == "IV"


def test_1994():
    assert to_roman(1994) == "MCMXCIV"


def test_out_of_range():
    with pytest.raises(ValueError):
        to_roman(0)
`;

/**
 * The run-and-fix loop: the first code fails its tests, the model reads the failure in the
 * run_tests result, fixes the code, and the second run passes. The sandbox really runs both:
 * the first run fails test_four_is_subtractive and test_1994, the second passes all 7.
 */
const runAndFix: Scenario = {
  id: "run-and-fix",
  title: "Roman numerals, tested and fixed",
  keywords: ["roman"],
  turns: [
    {
      thinking:
        "The task is a Roman numeral converter in Python. A greedy loop over the numeral values from the largest down is the usual shape: take M as often as it fits, then D, and so on. I will write roman.py with a table of values and letters and a range check, since Roman numerals only cover 1 to 3999.",
      toolCalls: [{ name: "write_file", input: { path: "roman.py", content: ROMAN_SOURCE } }],
    },
    {
      thinking:
        "Now the tests, pytest style: a parametrized case for numbers that are purely additive, the subtractive case 4, a long mixed number like 1994, and the range check. Running them will tell me whether the greedy table is complete.",
      toolCalls: [{ name: "write_file", input: { path: "test_roman.py", content: ROMAN_TEST } }],
    },
    {
      thinking: "Both files are written. I will run the tests before claiming anything works.",
      toolCalls: [{ name: "run_tests", input: {} }],
    },
    {
      thinking:
        "Two tests fail. test_four_is_subtractive got 'IIII' instead of 'IV', and test_1994 got 'MDCCCCLXXXXIIII' instead of 'MCMXCIV'. The greedy loop is fine; the table is missing the subtractive pairs CM, CD, XC, XL, IX and IV. With them in the table, in descending order, the same loop produces the right numerals. That is a change to the table only.",
      toolCalls: [
        {
          name: "edit_file",
          input: {
            path: "roman.py",
            old_string:
              '    (1000, "M"),\n    (500, "D"),\n    (100, "C"),\n    (50, "L"),\n    (10, "X"),\n    (5, "V"),\n',
            new_string:
              '    (1000, "M"),\n    (900, "CM"),\n    (500, "D"),\n    (400, "CD"),\n    (100, "C"),\n    (90, "XC"),\n    (50, "L"),\n    (40, "XL"),\n    (10, "X"),\n    (9, "IX"),\n    (5, "V"),\n    (4, "IV"),\n',
          },
        },
      ],
    },
    {
      thinking: "The table now has the subtractive pairs. Running the tests again to confirm the fix.",
      toolCalls: [{ name: "run_tests", input: {} }],
    },
    {
      thinking:
        "All seven tests pass now, including 4 and 1994. I will summarise the converter and the bug the tests caught.",
      text: `## Roman numerals

- **\`roman.py\`** — \`to_roman(number)\` for 1 to 3999, a greedy loop over a table of values.
- **\`test_roman.py\`** — pytest cases: additive numbers, 4, 1994 and the range check.

**Caught by the tests:** the first table had no subtractive pairs, so 4 came out as \`IIII\`. Adding CM, CD, XC, XL, IX and IV to the table fixed it; all 7 tests pass.`,
    },
  ],
};

const CUT_CALL_THINKING =
  "The person wants a greeting module. I will write src/greet.ts with one exported function that takes a name and returns the greeting, so it is easy to test.";
const CUT_CALL_TEXT = "Writing the module now.";
const GREET_SOURCE = `/** A friendly greeting for \`name\`. */
export function greet(name: string): string {
  return \`Hello, \${name}!\`;
}
`;

/**
 * The output limit strikes inside a tool call's arguments: the call arrives cut short and
 * the turn stops with max_tokens. Continue (a prefill of the turn so far) gets the rest.
 */
const cutCall: Scenario = {
  id: "cut-call",
  title: "Output cut at the token limit inside a tool call",
  keywords: [],
  turns: [
    {
      thinking: CUT_CALL_THINKING,
      text: CUT_CALL_TEXT,
      toolCalls: [{ name: "write_file", input: { path: "src/greet.ts", content: GREET_SOURCE } }],
      // the reasoning, the text and about 40 characters of the arguments
      cutAtTokens: Math.floor((CUT_CALL_THINKING.length + CUT_CALL_TEXT.length + 40) / 4),
    },
    {
      thinking: "The module is written. I will say how to use it.",
      text: "Added **`src/greet.ts`**: `greet(name)` returns the greeting.",
    },
  ],
};

const CUT_TEXT_THINKING = "The person asks how a hash map works. A short explanation in two paragraphs will do.";
const CUT_TEXT_ANSWER =
  "A hash map stores each value under a key. It runs the key through a hash function, which turns it into a number, and uses that number to pick a bucket in an array.\n\nLookups repeat the same steps, so finding a value takes about the same time however many entries there are. Two keys that land in the same bucket are kept side by side and told apart by comparing the keys themselves.";

/** The output limit strikes in the middle of the answer; Continue finishes the sentence. */
const cutText: Scenario = {
  id: "cut-text",
  title: "Output cut at the token limit inside the answer",
  keywords: [],
  turns: [
    {
      thinking: CUT_TEXT_THINKING,
      text: CUT_TEXT_ANSWER,
      cutAtTokens: Math.floor((CUT_TEXT_THINKING.length + CUT_TEXT_ANSWER.length / 2) / 4),
    },
  ],
};

export const SCENARIOS: readonly Scenario[] = [sum, fizzbuzz, long, unstorable, markup, runAndFix, cutCall, cutText];

/** Served when the conversation already has more assistant turns than the script. */
export const FINAL_TURN: ScriptedTurn = {
  thinking:
    "Everything the task asked for is already in place, and the previous turns covered the files and the summary. There is nothing left to change, so I will confirm briefly instead of repeating myself.",
  text: "Done.",
};
