/** Suite tasks whose scripted answers (the wire emulator's scenarios) are known, for the suite run tests. */

const vitest = 'import { describe, expect, it } from "vitest";\n';

/** Three tasks: sum passes, fizzbuzz fails one of its two hidden tests, roman passes. */
export const TASKS = [
  {
    id: "sum",
    language: "typescript",
    prompt: "Write a sum function with tests [emulator:scenario=sum]",
    tests: {
      "hidden_sum.test.ts": `${vitest}import { sum } from "./src/sum";\ndescribe("sum", () => {\n  it("adds", () => expect(sum([1, 2, 3])).toBe(6));\n  it("is 0 for none", () => expect(sum([])).toBe(0));\n});\n`,
    },
  },
  {
    id: "fizzbuzz",
    language: "typescript",
    prompt: "Write fizzbuzz [emulator:scenario=fizzbuzz]",
    tests: {
      "hidden_fizz.test.ts": `${vitest}import { fizzbuzz } from "./src/fizzbuzz";\ndescribe("fizzbuzz", () => {\n  it("says FizzBuzz at 15", () => expect(fizzbuzz(15)[14]).toBe("FizzBuzz"));\n  it("refuses a negative count", () => expect(() => fizzbuzz(-1)).toThrow(RangeError));\n});\n`,
    },
  },
  {
    id: "roman",
    language: "python",
    prompt: "Write a Roman numeral converter [emulator:scenario=run-and-fix]",
    tests: {
      "test_hidden_roman.py": 'from roman import to_roman\n\n\ndef test_nine():\n    assert to_roman(9) == "IX"\n',
    },
  },
];
