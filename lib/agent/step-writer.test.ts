import { expect, test } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import { changedColumns } from "./step-writer";

test("changedColumns writes only what changed, in the database's types", () => {
  const before = makeStep({ id: "a", content: "Hel", status: "streaming" });
  expect(changedColumns(before, before)).toBeNull();
  const after = { ...before, content: "Hello", status: "done" as const, finishedAt: "2026-01-01T00:00:01.000Z" };
  expect(changedColumns(before, after)).toEqual({
    content: "Hello",
    status: "done",
    finishedAt: new Date("2026-01-01T00:00:01.000Z"),
  });
});
