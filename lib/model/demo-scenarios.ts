/**
 * What the "Offline demo (scripted)" model plays: a scripted scenario that matches the task
 * — by language (Python or TypeScript, from the task's words and the starting files'
 * extensions) and by keywords — each saying up front, in its reasoning and in its summary,
 * that it is scripted and why it was picked. Pure and deterministic: the same first
 * message always gets the same scenario, so a replayed session stays consistent.
 */
import { SCENARIOS } from "./emulator/scenarios";
import type { Scenario, ScriptedTurn } from "./emulator/types";

export type DemoLanguage = "typescript" | "python";

interface DemoScenario {
  scenario: Scenario;
  language: DemoLanguage;
}

const PY_FIZZBUZZ = `def fizzbuzz(n: int) -> list[str]:
    """The FizzBuzz lines for 1..n: multiples of 3 are "Fizz", of 5 "Buzz", of both "FizzBuzz"."""
    lines = []
    for i in range(1, n + 1):
        if i % 15 == 0:
            lines.append("FizzBuzz")
        elif i % 3 == 0:
            lines.append("Fizz")
        elif i % 5 == 0:
            lines.append("Buzz")
        else:
            lines.append(str(i))
    return lines
`;

const PY_FIZZBUZZ_TEST = `from fizzbuzz import fizzbuzz


def test_first_fifteen():
    assert fizzbuzz(15) == [
        "1", "2", "Fizz", "4", "Buzz", "Fizz", "7", "8", "Fizz", "Buzz", "11", "Fizz", "13", "14", "FizzBuzz",
    ]


def test_zero_gives_nothing():
    assert fizzbuzz(0) == []
`;

const PY_SLUGIFY = `import re
import unicodedata


def slugify(text: str) -> str:
    """A URL slug: lowercase ASCII words joined by single dashes ("Héllo, World!" -> "hello-world")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)
`;

const PY_SLUGIFY_TEST = `from slugify import slugify


def test_words_and_punctuation():
    assert slugify("Hello, World!") == "hello-world"


def test_accents_are_folded():
    assert slugify("Crème brûlée") == "creme-brulee"


def test_nothing_left():
    assert slugify("!!!") == ""
`;

const PY_SUM = `def total(values: list[float]) -> float:
    """The sum of values; 0 for an empty list."""
    result = 0.0
    for value in values:
        result += value
    return result
`;

const PY_SUM_TEST = `from total import total


def test_adds():
    assert total([1, 2, 3]) == 6


def test_empty_is_zero():
    assert total([]) == 0
`;

const TS_SLUGIFY = `/** A URL slug: lowercase ASCII words joined by single dashes ("Héllo, World!" → "hello-world"). */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase()
    .match(/[a-z0-9]+/g)
    ?.join("-") ?? "";
}
`;

const TS_SLUGIFY_TEST = `import { describe, expect, it } from "vitest";
import { slugify } from "./slugify";

describe("slugify", () => {
  it("joins words with dashes", () => expect(slugify("Hello, World!")).toBe("hello-world"));
  it("folds accents", () => expect(slugify("Crème brûlée")).toBe("creme-brulee"));
  it("gives an empty slug for punctuation only", () => expect(slugify("!!!")).toBe(""));
});
`;

interface ScriptedFile {
  path: string;
  content: string;
  /** the reasoning before writing it */
  why: string;
}

/** Three turns: write the source, write its tests, summarise. */
function scripted({
  source,
  test,
  summary,
}: {
  source: ScriptedFile;
  test: ScriptedFile;
  summary: string;
}): ScriptedTurn[] {
  const write = (file: ScriptedFile): ScriptedTurn => ({
    thinking: file.why,
    toolCalls: [{ name: "write_file", input: { path: file.path, content: file.content } }],
  });
  return [
    write(source),
    write(test),
    {
      thinking:
        "The implementation and its tests are written, and the tests cover the ordinary case and the edge cases the task implies. I will summarise what is where.",
      text: summary,
    },
  ];
}

const builtIn = (id: string): Scenario => {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`no emulator scenario ${id}`);
  return scenario;
};

/** Every scenario the demo can play, with its language. The first of a language is its default. */
export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  { language: "typescript", scenario: builtIn("sum") },
  { language: "typescript", scenario: builtIn("fizzbuzz") },
  { language: "typescript", scenario: builtIn("long") },
  {
    language: "typescript",
    scenario: {
      id: "ts-slugify",
      title: "slugify in TypeScript",
      keywords: ["slug", "url"],
      turns: scripted({
        source: {
          path: "src/slugify.ts",
          content: TS_SLUGIFY,
          why: "A slug is lowercase ASCII words joined by dashes. Normalising to NFKD splits accented letters into a base letter and a combining mark, which I can then drop; matching runs of [a-z0-9] gives the words.",
        },
        test: {
          path: "src/slugify.test.ts",
          content: TS_SLUGIFY_TEST,
          why: "Tests: punctuation between words, accents folded, and input with no letters at all, which must give an empty slug rather than crash on a null match.",
        },
        summary:
          "## Summary\n\n- **`src/slugify.ts`**: `slugify(text)` folds accents and joins lowercase words with dashes.\n- **`src/slugify.test.ts`**: words and punctuation, accents, punctuation only.",
      }),
    },
  },
  {
    language: "python",
    scenario: {
      id: "py-total",
      title: "total() in Python with pytest",
      keywords: ["sum", "total"],
      turns: scripted({
        source: {
          path: "total.py",
          content: PY_SUM,
          why: "The task is in Python. I will write a small total() with an explicit loop and a float accumulator, so an empty list gives 0 without special cases.",
        },
        test: {
          path: "test_total.py",
          content: PY_SUM_TEST,
          why: "pytest finds test_*.py files: a plain case and the empty list.",
        },
        summary:
          "## Summary\n\n- **`total.py`**: `total(values)` adds a list of numbers; 0 for an empty list.\n- **`test_total.py`**: pytest cases. Run them with `pytest`.",
      }),
    },
  },
  {
    language: "python",
    scenario: {
      id: "py-fizzbuzz",
      title: "FizzBuzz in Python with pytest",
      keywords: ["fizzbuzz", "fizz buzz"],
      turns: scripted({
        source: {
          path: "fizzbuzz.py",
          content: PY_FIZZBUZZ,
          why: "FizzBuzz in Python: return the lines instead of printing them, so the function is easy to test. Multiples of 15 must be checked before 3 and 5.",
        },
        test: {
          path: "test_fizzbuzz.py",
          content: PY_FIZZBUZZ_TEST,
          why: "The first fifteen lines cover every branch at least once; n = 0 must give an empty list.",
        },
        summary:
          "## Summary\n\n- **`fizzbuzz.py`**: `fizzbuzz(n)` returns the lines for 1..n.\n- **`test_fizzbuzz.py`**: the first fifteen lines and n = 0. Run them with `pytest`.",
      }),
    },
  },
  {
    language: "python",
    scenario: {
      id: "py-slugify",
      title: "slugify in Python with pytest",
      keywords: ["slug", "url"],
      turns: scripted({
        source: {
          path: "slugify.py",
          content: PY_SLUGIFY,
          why: "A slug in Python: unicodedata's NFKD form plus an ASCII encode drops accents, then the lowercase runs of letters and digits are the words.",
        },
        test: {
          path: "test_slugify.py",
          content: PY_SLUGIFY_TEST,
          why: "Tests: punctuation between words, accents folded, and input with nothing left.",
        },
        summary:
          "## Summary\n\n- **`slugify.py`**: `slugify(text)` folds accents and joins lowercase words with dashes.\n- **`test_slugify.py`**: pytest cases. Run them with `pytest`.",
      }),
    },
  },
  // the run_tests loop: the first code fails its tests, the fix passes (keyword "roman")
  { language: "python", scenario: builtIn("run-and-fix") },
];

const PYTHON_SIGNS = [/\bpython\b/, /\.py\b/, /\bpytest\b/, /\bdjango\b/, /\bflask\b/, /\bdef\s+\w+\(/];
const TYPESCRIPT_SIGNS = [
  /\btypescript\b/,
  /\bjavascript\b/,
  /\.[cm]?[jt]sx?\b/,
  /\bvitest\b/,
  /\bjest\b/,
  /\bnode(\.js)?\b/,
];

const signs = (text: string, patterns: readonly RegExp[]) => patterns.filter((p) => p.test(text)).length;

/** The task's language: Python when it shows more Python signs than TypeScript/JavaScript ones. */
export function detectLanguage(text: string): DemoLanguage {
  const lower = text.toLowerCase();
  return signs(lower, PYTHON_SIGNS) > signs(lower, TYPESCRIPT_SIGNS) ? "python" : "typescript";
}

/** The scenario for a first user message, and why it was picked (in words). */
export function pickDemoScenario(firstUserText: string): { picked: DemoScenario; reason: string } {
  const marked = /\[emulator:scenario=([\w-]+)\]/.exec(firstUserText)?.[1];
  const byMarker = DEMO_SCENARIOS.find((s) => s.scenario.id === marked);
  if (byMarker) return { picked: byMarker, reason: "the task names it" };
  const text = firstUserText.toLowerCase();
  const language = detectLanguage(text);
  const ofLanguage = DEMO_SCENARIOS.filter((s) => s.language === language);
  const keyword = (s: DemoScenario) => s.scenario.keywords.find((k) => text.includes(k.toLowerCase()));
  const matched = ofLanguage.find(keyword);
  const languageName = language === "python" ? "Python" : "TypeScript";
  if (matched) return { picked: matched, reason: `the task is in ${languageName} and mentions "${keyword(matched)}"` };
  return {
    picked: ofLanguage[0] as DemoScenario,
    reason: `the task looks like ${languageName} and no scenario matches its words, so this is the ${languageName} default`,
  };
}

/**
 * The emulator's scenario chooser for the offline demo: the matching scenario with its
 * first reasoning and its summary saying that they are scripted.
 */
export function chooseDemoScenario(_scenarios: readonly Scenario[], firstUserText: string): Scenario {
  const { picked, reason } = pickDemoScenario(firstUserText);
  const { scenario } = picked;
  const notice = `(Offline demo: this is a scripted scenario, "${scenario.title}", not MiniMax-M2; it was picked because ${reason}. Set MINIMAX_API_KEY to run the real model on your task.) `;
  const last = scenario.turns.length - 1;
  return {
    ...scenario,
    turns: scenario.turns.map((turn, i) => ({
      ...turn,
      thinking: i === 0 ? `${notice}${turn.thinking}` : turn.thinking,
      text:
        i === last && turn.text
          ? `${turn.text}\n\n_Scripted by the offline demo (scenario "${scenario.title}"), not written by a model._`
          : turn.text,
    })),
  };
}
