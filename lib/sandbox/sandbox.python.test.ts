/**
 * The Python sandbox on tests written the way models write them: pytest-style functions
 * and classes, parametrize, raises, approx, fixtures (conftest.py and built-in),
 * unittest.TestCase, HumanEval's check(candidate) — passing and failing — in real Pyodide.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTests, SandboxPool, type TestReport } from "./index";

// Two warm workers: while one test's run goes, the next one's interpreter is ready.
const pool = new SandboxPool({ warmWorkers: 2 });
beforeAll(() => pool.warmUp(["python"]), 120_000);
afterAll(() => pool.close());

const byName = (report: TestReport) => new Map(report.tests.map((t) => [t.name, t]));

const SOLUTION = `
from dataclasses import dataclass


def is_prime(n: int) -> bool:
    # bug the tests should catch: 1 is not prime
    if n < 2:
        return n == 1
    return all(n % d for d in range(2, int(n ** 0.5) + 1))


def has_close_elements(numbers: list[float], threshold: float) -> bool:
    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])


def parse_version(text: str) -> tuple[int, ...]:
    if not text:
        raise ValueError("empty version string")
    return tuple(int(part) for part in text.split("."))


def word_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


@dataclass
class Stack:
    items: list

    def push(self, item):
        self.items.append(item)

    def pop(self):
        if not self.items:
            raise IndexError("pop from empty stack")
        return self.items.pop()
`;

const TESTS = `
import pytest
from solution import Stack, has_close_elements, is_prime, parse_version, word_counts


@pytest.mark.parametrize("n, expected", [(2, True), (3, True), (4, False), (1, False)])
def test_is_prime(n, expected):
    assert is_prime(n) == expected


def test_parse_version():
    assert parse_version("1.2.10") == (1, 2, 10)


def test_parse_version_rejects_empty():
    with pytest.raises(ValueError, match="empty"):
        parse_version("")


def test_word_counts():
    assert word_counts("a b a") == {"a": 2, "b": 2}


def test_float_sum():
    assert 0.1 + 0.2 == pytest.approx(0.3)


def check(candidate):
    assert candidate([1.0, 2.0, 3.0], 0.5) == False
    assert candidate([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3) == True


def test_check():
    check(has_close_elements)


class TestStack:
    @pytest.fixture
    def stack(self):
        return Stack([1])

    def test_push_pop(self, stack):
        stack.push(2)
        assert stack.pop() == 2

    def test_pop_empty(self, empty_stack):
        with pytest.raises(IndexError):
            empty_stack.pop()

    @pytest.mark.skip(reason="not written yet")
    def test_peek(self):
        pass


def test_prints(capsys):
    print("hello")
    assert capsys.readouterr().out == "hello\\n"
`;

const CONFTEST = `
import pytest
from solution import Stack


@pytest.fixture
def empty_stack():
    yield Stack([])
`;

const UNITTEST = `
import unittest
from solution import parse_version


class ParseVersionTest(unittest.TestCase):
    def test_major(self):
        self.assertEqual(parse_version("3")[0], 3)

    def test_wrong(self):
        self.assertEqual(parse_version("1.0"), (1, 1))
`;

const ASYNC_TESTS = `
import asyncio

import pytest


async def fetch(n):
    await asyncio.sleep(5)  # the loop's clock moves; the test doesn't wait 5 s
    return n * 2


async def test_fetch_all():
    assert await asyncio.gather(fetch(1), fetch(2)) == [2, 4]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.sleep(10), timeout=1)


def test_asyncio_run():
    assert asyncio.run(fetch(3)) == 6


async def test_waits_forever():
    await asyncio.Future()
`;

describe("Python sandbox", { timeout: 60_000 }, () => {
  test("runs model-style pytest and unittest files and reports each test", async () => {
    const report = await runTests(
      {
        files: {
          "solution.py": SOLUTION,
          "tests/conftest.py": CONFTEST,
          "tests/test_solution.py": TESTS,
          "tests/test_unit.py": UNITTEST,
          "README.md": "# not a test",
        },
      },
      pool,
    );
    expect(report.language).toBe("python");
    expect(report.outcome).toBe("completed");
    expect(report.testFiles).toEqual(["tests/test_solution.py", "tests/test_unit.py"]);
    const tests = byName(report);
    const statuses = Object.fromEntries([...tests].map(([name, t]) => [name, t.status]));
    expect(statuses).toEqual({
      "test_is_prime[2-True]": "pass",
      "test_is_prime[3-True]": "pass",
      "test_is_prime[4-False]": "pass",
      "test_is_prime[1-False]": "fail",
      test_parse_version: "pass",
      test_parse_version_rejects_empty: "pass",
      test_word_counts: "fail",
      test_float_sum: "pass",
      test_check: "pass",
      "TestStack::test_push_pop": "pass",
      "TestStack::test_pop_empty": "pass",
      "TestStack::test_peek": "skip",
      test_prints: "pass",
      "ParseVersionTest::test_major": "pass",
      "ParseVersionTest::test_wrong": "fail",
    });
    expect(report.counts).toEqual({ passed: 11, failed: 3, errors: 0, skipped: 1, total: 15 });
    // the failure shows the compared values, where they came from, and the line
    expect(tests.get("test_is_prime[1-False]")?.message).toBe(
      [
        "AssertionError: assert True == False",
        " +  where True = is_prime(n)",
        "",
        "tests/test_solution.py:8 in test_is_prime",
        "    assert is_prime(n) == expected",
      ].join("\n"),
    );
    expect(tests.get("test_word_counts")?.message).toContain("Differing items:\n{'b': 1} != {'b': 2}");
    expect(tests.get("TestStack::test_peek")?.message).toBe("not written yet");
    expect(tests.get("ParseVersionTest::test_wrong")?.message).toMatch(
      /AssertionError: Tuples differ: \(1, 0\) != \(1, 1\)/,
    );
    expect(report.stdout.text).toBe("");
    // Pyodide's heap after a run from the snapshot, plus the worker's JS heap
    expect(report.memoryBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(report.memoryBytes).toBeLessThan(256 * 1024 * 1024);
  });

  test("a test file that does not import is a collect error; the other files still run; async tests", async () => {
    const report = await runTests(
      {
        files: {
          "calc.py": "def add(a, b):\n    return a + b\n",
          "test_broken.py": "def test_x(:\n    pass\n",
          "test_missing.py": "from calculator import add\n\ndef test_add():\n    assert add(1, 1) == 2\n",
          "test_calc.py": "from calc import add\n\ndef test_add():\n    print('adding')\n    assert add(1, 1) == 2\n",
          "test_async.py": ASYNC_TESTS,
        },
      },
      pool,
    );
    expect(report.outcome).toBe("completed");
    const tests = byName(report);
    expect(tests.get("test_broken.py")).toMatchObject({
      status: "error",
      message: expect.stringMatching(/SyntaxError/),
    });
    expect(tests.get("test_missing.py")).toMatchObject({
      status: "error",
      message: expect.stringMatching(/ModuleNotFoundError: No module named 'calculator'/),
    });
    expect(tests.get("test_add")).toMatchObject({ file: "test_calc.py", status: "pass" });
    expect(tests.get("test_fetch_all")?.status).toBe("pass");
    expect(tests.get("test_asyncio_run")?.status).toBe("pass");
    expect(tests.get("test_waits_forever")).toMatchObject({
      status: "error",
      message: expect.stringMatching(/waiting for something that never happens/),
    });
    expect(report.stdout.text).toBe("adding\n");
  });

  test("paths select the test files to run", async () => {
    const files = {
      "test_a.py": "def test_a():\n    assert True\n",
      "test_b.py": "def test_b():\n    assert False, 'should not run'\n",
    };
    const report = await runTests({ files, paths: ["test_a.py"] }, pool);
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([["test_a", "pass"]]);
  });
});
