import { describe, expect, test } from "vitest";
import { startingFilesText } from "@/lib/project/starting-prompt";
import { chooseDemoScenario, detectLanguage, pickDemoScenario } from "./demo-scenarios";

const picked = (task: string) => pickDemoScenario(task).picked.scenario.id;

describe("the offline demo follows the task", () => {
  test.each([
    ["Write a sum function in TypeScript", "sum"],
    ["Write a function that sums numbers, with pytest tests", "py-total"],
    ["FizzBuzz in Python please", "py-fizzbuzz"],
    ["fizz buzz for node", "fizzbuzz"],
    ["Make a URL slug from a title (python)", "py-slugify"],
    ["slugify for our Next.js blog, in TypeScript", "ts-slugify"],
    ["Implement an LRU cache", "long"],
    ["Parse a CSV file in Python", "py-total"],
    ["Parse a CSV file", "sum"],
  ])("%s → %s", (task, id) => {
    expect(picked(task)).toBe(id);
  });

  test("the starting files' extensions tell the language", () => {
    const task = `Add a slugify helper\n\n${startingFilesText(new Map([["app/main.py", "print(1)\n"]]))}`;
    expect(detectLanguage(task)).toBe("python");
    expect(picked(task)).toBe("py-slugify");
  });

  test("a scenario marker still wins", () => {
    expect(picked("[emulator:scenario=fizzbuzz] anything in python")).toBe("fizzbuzz");
  });

  test("it says it is scripted, and why this scenario, in its first reasoning and its summary", () => {
    const scenario = chooseDemoScenario([], "FizzBuzz in Python please");
    expect(scenario.turns[0]?.thinking).toMatch(
      /^\(Offline demo: this is a scripted scenario, "FizzBuzz in Python with pytest", not MiniMax-M2; it was picked because the task is in Python and mentions "fizzbuzz"/,
    );
    expect(scenario.turns.at(-1)?.text).toMatch(/Scripted by the offline demo/);
    expect(scenario.turns[0]?.toolCalls?.[0]?.input).toMatchObject({ path: "fizzbuzz.py" });
    // deterministic: replaying the same session gets the same script
    expect(chooseDemoScenario([], "FizzBuzz in Python please")).toEqual(scenario);
  });
});

describe("the run-and-fix demo", () => {
  test("plays the run_tests loop for a Roman numeral task in Python", () => {
    const { picked } = pickDemoScenario("Write a Roman numeral converter in Python with tests");
    expect(picked.scenario.id).toBe("run-and-fix");
    expect(
      picked.scenario.turns.flatMap((turn) => turn.toolCalls ?? []).filter((c) => c.name === "run_tests"),
    ).toHaveLength(2);
  });
});
