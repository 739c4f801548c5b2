import { expect, test } from "vitest";
import * as testRuns from "@/app/api/sessions/[id]/test-runs/route";
import * as sessions from "@/app/api/sessions/route";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { slowTestSession } from "./slow-test-session";

/** A person's Run tests on a session that started from uploaded files: they are part of the project tested. */
test("a person's test run sees the session's starting files", async () => {
  const body = new FormData();
  body.set("task", "Make the failing test pass");
  const files: Array<[string, string]> = [
    ["calc.py", "def add(a, b):\n    return a - b\n"],
    [
      "tests/test_calc.py",
      "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_zero():\n    assert add(0, 0) == 0\n",
    ],
  ];
  for (const [path, content] of files) {
    body.append("file", new Blob([content]), path.split("/").pop());
    body.append("path", path);
  }
  const created = await sessions.POST(
    await asTestUser(new Request("http://localhost/api/sessions", { method: "POST", body })),
    undefined as never,
  );
  expect(created.status).toBe(201);
  const { session } = (await created.json()) as { session: { id: string; activeLeafId: string } };

  const { status, json } = await callRoute(testRuns.POST, {
    method: "POST",
    params: { id: session.id },
    body: { afterStepId: session.activeLeafId },
  });
  expect(status).toBe(201);
  expect(json.report).toMatchObject({
    language: "python",
    testFiles: ["tests/test_calc.py"],
    counts: { passed: 1, failed: 1, total: 2 },
  });
  expect(json.report.tests.find((t: { name: string }) => t.name === "test_add").message).toContain("assert -1 == 5");
  // the task step is not a tool result: the model reads the report as the person's message
  expect(json.step.providerData.replayAs).toBe("user_message");
}, 60_000); // the first Python run in a process makes Pyodide's snapshot first

/** One person can't fill the sandbox's queue: a third test run while two are going is a 429; once they end, another runs. */
test("a person has at most 2 test runs going at once", async () => {
  const { run } = await slowTestSession();

  const going = [run(), run()];
  await new Promise((resolve) => setTimeout(resolve, 500)); // both are past sign-in checks, in the sandbox
  const third = await run();
  expect(third.status).toBe(429);
  expect(third.json.error.code).toBe("rate_limit:test_runs");
  expect(third.json.error.message).toBe(
    "You have 2 test runs going, the most at once. Run these tests once one has finished.",
  );
  expect((await Promise.all(going)).map((response) => response.status)).toEqual([201, 201]);
  expect((await run()).status).toBe(201);
}, 60_000);
