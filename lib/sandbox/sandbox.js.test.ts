/**
 * The QuickJS sandbox on tests written the way models write them: vitest and jest imports
 * (or globals), describe/it/test, hooks, test.each, async tests with timers, mocks,
 * TypeScript with types, enums and ESM imports — passing and failing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTests, SandboxPool, type TestReport } from "./index";

const pool = new SandboxPool({ warmWorkers: 2 });
beforeAll(() => pool.warmUp(["javascript"]), 60_000);
afterAll(() => pool.close());

const statuses = (report: TestReport) => Object.fromEntries(report.tests.map((t) => [t.name, t.status]));
const message = (report: TestReport, name: string) => report.tests.find((t) => t.name === name)?.message ?? "";

const INVENTORY = `
export enum Category {
  Food = "food",
  Tool = "tool",
}

export interface Item {
  name: string;
  price: number;
  category: Category;
}

export class Inventory {
  private items = new Map<string, Item>();

  add(item: Item): void {
    if (item.price < 0) throw new RangeError(\`negative price for \${item.name}\`);
    this.items.set(item.name, item);
  }

  total(category?: Category): number {
    let sum = 0;
    for (const item of this.items.values()) if (!category || item.category === category) sum += item.price;
    return sum;
  }

  names(): string[] {
    // bug the tests should catch: not sorted
    return [...this.items.keys()];
  }

  async fetchPrice(name: string, delayMs = 50): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const item = this.items.get(name);
    if (!item) throw new Error(\`unknown item \${name}\`);
    return item.price;
  }
}
`;

const INVENTORY_TEST = `
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Category, Inventory, type Item } from "./inventory.js";
import defaults from "../data/defaults.json";

const hammer: Item = { name: "hammer", price: 12.5, category: Category.Tool };

describe("Inventory", () => {
  let inventory: Inventory;
  const log: string[] = [];

  beforeEach(() => {
    inventory = new Inventory();
    inventory.add(hammer);
    inventory.add({ name: "apple", price: 0.5, category: Category.Food });
    log.push("beforeEach");
  });

  it("sums prices", () => {
    expect(inventory.total()).toBeCloseTo(13);
    expect(inventory.total(Category.Food)).toBe(0.5);
  });

  it("lists names sorted", () => {
    expect(inventory.names()).toEqual(["apple", "hammer"]);
  });

  it("rejects negative prices", () => {
    expect(() => inventory.add({ ...hammer, price: -1 })).toThrow(RangeError);
    expect(() => inventory.add({ ...hammer, price: -1 })).toThrowError(/negative price/);
  });

  describe("async", () => {
    it("fetches a price after a delay", async () => {
      await expect(inventory.fetchPrice("hammer", 5_000)).resolves.toBe(12.5);
    });

    it("rejects unknown items", async () => {
      await expect(inventory.fetchPrice("saw")).rejects.toThrow("unknown item saw");
    });
  });

  it.each([
    [Category.Food, 0.5],
    [Category.Tool, 12.5],
  ])("totals %s as %d", (category, expected) => {
    expect(inventory.total(category)).toBe(expected);
  });

  it("calls back", () => {
    const callback = vi.fn((x: number) => x * 2);
    [1, 2].forEach((x) => callback(x));
    expect(callback).toHaveBeenCalledTimes(2);
    expect(callback).toHaveBeenLastCalledWith(3);
  });

  it("reads json", () => {
    expect(defaults).toMatchObject({ currency: "EUR" });
    expect(log.length).toBeGreaterThan(0);
  });

  it.skip("is not ready", () => {});
  it.todo("handles discounts");
});
`;

const JEST_STYLE = `
const { describe, test, expect, afterEach } = require("@jest/globals");
const { slugify } = require("../src/slug");

let cleaned = 0;
afterEach(() => {
  cleaned++;
});

describe("slugify", () => {
  test("lowercases and joins words", () => {
    expect(slugify("Hello World")).toBe("hello-world");
  });

  test("cleanup ran after the first test", () => {
    expect(cleaned).toBe(1);
  });

  test("strips punctuation", () => {
    expect(slugify("Hi, there!")).toBe("hi-there");
  });
});
`;

const GLOBALS_STYLE = `
// no imports: vitest's globals mode / jest's default
test("adds", () => {
  expect(1 + 1).toBe(2);
});

test("done callback", (done) => {
  setTimeout(() => {
    expect(true).toBeTruthy();
    done();
  }, 10);
});

test("throws a non-assertion error", () => {
  null.property;
});
`;

describe("JavaScript/TypeScript sandbox", { timeout: 60_000 }, () => {
  test("runs vitest-style TypeScript, jest-style CommonJS and globals-style tests", async () => {
    const report = await runTests(
      {
        files: {
          "src/inventory.ts": INVENTORY,
          "src/inventory.test.ts": INVENTORY_TEST,
          "data/defaults.json": '{ "currency": "EUR" }',
          "src/slug.js": "exports.slugify = (s) => s.toLowerCase().replace(/\\s+/g, '-');\n",
          "test/slug.test.js": JEST_STYLE,
          "globals.spec.js": GLOBALS_STYLE,
        },
      },
      pool,
    );
    expect(report.language).toBe("typescript");
    expect(report.outcome).toBe("completed");
    expect(report.testFiles).toEqual(["globals.spec.js", "src/inventory.test.ts", "test/slug.test.js"]);
    expect(statuses(report)).toEqual({
      adds: "pass",
      "done callback": "pass",
      "throws a non-assertion error": "error",
      "Inventory > sums prices": "pass",
      "Inventory > lists names sorted": "fail",
      "Inventory > rejects negative prices": "pass",
      "Inventory > async > fetches a price after a delay": "pass",
      "Inventory > async > rejects unknown items": "pass",
      "Inventory > totals food as 0.5": "pass",
      "Inventory > totals tool as 12.5": "pass",
      "Inventory > calls back": "fail",
      "Inventory > reads json": "pass",
      "Inventory > is not ready": "skip",
      "Inventory > handles discounts": "skip",
      "slugify > lowercases and joins words": "pass",
      "slugify > cleanup ran after the first test": "pass",
      "slugify > strips punctuation": "fail",
    });
    expect(report.counts).toEqual({ passed: 11, failed: 3, errors: 1, skipped: 2, total: 17 });

    // failures carry the matcher's message, the expected/received diff and the test's line
    const sorted = message(report, "Inventory > lists names sorted");
    expect(sorted).toContain("AssertionError: expected [ 'hammer', 'apple' ] to deeply equal [ 'apple', 'hammer' ]");
    expect(sorted).toContain("- Expected\n+ Received");
    expect(sorted).toMatch(/\(src\/inventory\.test\.ts:25:\d+\)/);
    expect(message(report, "Inventory > calls back")).toMatch(/last "(spy|vi\.fn\(\))" call/);
    expect(message(report, "slugify > strips punctuation")).toContain("expected 'hi,-there!' to be 'hi-there'");
    expect(message(report, "throws a non-assertion error")).toMatch(
      /^TypeError: cannot read property 'property' of null/,
    );
    expect(report.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(report.memoryBytes).toBeLessThan(256 * 1024 * 1024);
  });

  test("a TypeScript syntax error or a missing import is the file's error; other files run", async () => {
    const report = await runTests(
      {
        files: {
          "broken.test.ts": "import { test } from 'vitest';\ntest('x', () => {\n  const x: = 1;\n});\n",
          "missing.test.ts":
            "import { add } from './nowhere';\nimport { test, expect } from 'vitest';\ntest('add', () => expect(add(1, 1)).toBe(2));\n",
          "npm.test.ts": "import _ from 'lodash';\ntest('uses lodash', () => _.noop());\n",
          "mocked.test.ts": "import { test, vi } from 'vitest';\nvi.mock('./db');\ntest('x', () => {});\n",
          "ok.test.ts":
            "import { test, expect } from 'vitest';\ntest('ok', () => { console.log('ran'); expect(1).toBe(1); });\n",
        },
      },
      pool,
    );
    expect(report.outcome).toBe("completed");
    expect(statuses(report)).toEqual({
      "broken.test.ts": "error",
      "missing.test.ts": "error",
      "npm.test.ts": "error",
      "mocked.test.ts": "error",
      ok: "pass",
    });
    expect(message(report, "broken.test.ts")).toMatch(/^SyntaxError/);
    expect(message(report, "missing.test.ts")).toContain("Cannot find module './nowhere' from missing.test.ts");
    expect(message(report, "npm.test.ts")).toContain(
      "Cannot find module 'lodash': the sandbox runs only the project's own files",
    );
    expect(message(report, "mocked.test.ts")).toContain("module mocking is not supported in the sandbox");
    expect(report.stdout.text).toBe("ran\n");
  });

  test("only, expect.assertions and a test that never settles", async () => {
    const report = await runTests(
      {
        files: {
          "a.test.js": [
            "test('counted', () => { expect.assertions(2); expect(1).toBe(1); });",
            "test('hangs', async () => { await new Promise(() => {}); });",
            "test('after the hang', () => {});",
          ].join("\n"),
          "b.test.js": "test.only('focused', () => {});\ntest('not focused', () => {});\n",
        },
      },
      pool,
    );
    expect(statuses(report)).toEqual({
      counted: "error",
      hangs: "error",
      "after the hang": "pass",
      focused: "pass",
      "not focused": "skip",
    });
    expect(message(report, "counted")).toContain("expected number of assertions to be 2, but got 1");
    expect(message(report, "hangs")).toContain("waiting for a promise that never settles");
  });
});
