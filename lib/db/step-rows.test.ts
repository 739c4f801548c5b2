import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { makeStep } from "@/lib/steps/fixtures";
import type { StepNode } from "@/lib/steps/types";
import {
  MAX_ROWS_PER_STATEMENT,
  MAX_WRITE_ATTEMPTS,
  overlayPending,
  type StepRow,
  type StepRowOwner,
  StepRowQueue,
  toStepRow,
} from "./step-rows";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function recordingOwner() {
  const written: StepNode[] = [];
  const failed: StepNode[] = [];
  const owner: StepRowOwner = { written: (step) => written.push(step), failed: (step) => failed.push(step) };
  return { owner, written, failed };
}

/** An executor that records the steps of each statement, failing those that contain a poisoned id. */
function fakeDatabase(poisoned = new Set<string>()) {
  const statements: string[][] = [];
  const execute = async <Row>(_sql: string, params: unknown[]): Promise<Row[]> => {
    const steps = JSON.parse(params[0] as string) as StepNode[];
    statements.push(steps.map((step) => step.id));
    if (steps.some((step) => poisoned.has(step.id))) throw new Error("insert or update violates foreign key");
    return [];
  };
  return { statements, execute };
}

test("changes within one interval go out as one statement with each step's latest state", async () => {
  const db = fakeDatabase();
  const queue = new StepRowQueue(db.execute, 250);
  const { owner, written } = recordingOwner();
  queue.put(makeStep({ id: "a", content: "H" }), 0, owner);
  queue.put(makeStep({ id: "b" }), 1, owner);
  const latest = makeStep({ id: "a", content: "Hello" });
  queue.put(latest, 0, owner);
  await vi.advanceTimersByTimeAsync(249);
  expect(db.statements).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(db.statements).toEqual([["a", "b"]]);
  expect(written).toEqual([latest, makeStep({ id: "b" })]);
});

test("a batch is in creation order, so a new parent is written before its new child", async () => {
  const db = fakeDatabase();
  const queue = new StepRowQueue(db.execute, 250);
  const { owner } = recordingOwner();
  queue.put(makeStep({ id: "child", parentId: "parent" }), 8, owner);
  queue.put(makeStep({ id: "parent" }), 7, owner);
  await queue.flush();
  expect(db.statements).toEqual([["parent", "child"]]);
});

test("flush writes at once, and waits for a write already on its way", async () => {
  let release = () => {};
  const statements: string[][] = [];
  const queue = new StepRowQueue(async <Row>(_sql: string, params: unknown[]): Promise<Row[]> => {
    statements.push((JSON.parse(params[0] as string) as StepNode[]).map((step) => step.id));
    if (statements.length === 1) await new Promise<void>((resolve) => (release = resolve));
    return [];
  }, 250);
  const { owner } = recordingOwner();
  queue.put(makeStep({ id: "a" }), 0, owner);
  const first = queue.flush();
  await vi.advanceTimersByTimeAsync(0);
  queue.put(makeStep({ id: "b" }), 1, owner);
  let secondDone = false;
  const second = queue.flush().then(() => (secondDone = true));
  await vi.advanceTimersByTimeAsync(0);
  expect(statements).toEqual([["a"]]);
  expect(secondDone).toBe(false);
  release();
  await Promise.all([first, second]);
  expect(statements).toEqual([["a"], ["b"]]);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(statements).toHaveLength(2); // the timer the puts armed was cancelled by the flush
});

test("a failing row fails only its own run's steps; the other runs' rows are written", async () => {
  const db = fakeDatabase(new Set(["orphan"]));
  const queue = new StepRowQueue(db.execute, 250);
  const healthy = recordingOwner();
  const broken = recordingOwner();
  queue.put(makeStep({ id: "a" }), 0, healthy.owner);
  queue.put(makeStep({ id: "orphan" }), 1, broken.owner);
  queue.put(makeStep({ id: "b" }), 2, broken.owner);
  queue.put(makeStep({ id: "c" }), 3, healthy.owner);
  await queue.flush();
  expect(db.statements).toEqual([["a", "orphan", "b", "c"], ["a", "c"], ["orphan", "b"], ["orphan"], ["b"]]);
  expect(healthy.written.map((step) => step.id)).toEqual(["a", "c"]);
  expect(healthy.failed).toEqual([]);
  expect(broken.written.map((step) => step.id)).toEqual(["b"]);
  expect(broken.failed).toEqual([]); // tried again with the next write
  expect(queue.isQueued("orphan")).toBe(true);
  for (let i = 1; i < MAX_WRITE_ATTEMPTS; i++) await queue.flush();
  expect(db.statements.slice(5)).toEqual(Array(MAX_WRITE_ATTEMPTS - 1).fill(["orphan"]));
  expect(broken.failed.map((step) => step.id)).toEqual(["orphan"]);
  expect(queue.isQueued("orphan")).toBe(false);
});

test("a write that fails once is retried with the next interval, and a newer state replaces the retry", async () => {
  let failures = 1;
  const statements: string[][] = [];
  const queue = new StepRowQueue(async <Row>(_sql: string, params: unknown[]): Promise<Row[]> => {
    statements.push((JSON.parse(params[0] as string) as StepNode[]).map((step) => step.content));
    if (failures-- > 0) throw new Error("Connection terminated unexpectedly");
    return [];
  }, 250);
  const { owner, written, failed } = recordingOwner();
  queue.put(makeStep({ id: "a", content: "one" }), 0, owner);
  await queue.flush();
  expect(written).toEqual([]);
  await vi.advanceTimersByTimeAsync(250);
  expect(statements).toEqual([["one"], ["one"]]);
  expect(written.map((step) => step.content)).toEqual(["one"]);

  failures = 1;
  queue.put(makeStep({ id: "a", content: "two" }), 0, owner);
  await queue.flush();
  queue.put(makeStep({ id: "a", content: "three" }), 0, owner);
  await vi.advanceTimersByTimeAsync(250);
  expect(statements.slice(2)).toEqual([["two"], ["three"]]);
  expect(written.map((step) => step.content)).toEqual(["one", "three"]);
  expect(failed).toEqual([]);
});

test(`a flush of more than ${MAX_ROWS_PER_STATEMENT} rows is split into statements`, async () => {
  const db = fakeDatabase();
  const queue = new StepRowQueue(db.execute, 250);
  const { owner, written } = recordingOwner();
  for (let i = 0; i < MAX_ROWS_PER_STATEMENT + 1; i++) queue.put(makeStep({ id: `s${i}` }), i, owner);
  await queue.flush();
  expect(db.statements.map((ids) => ids.length)).toEqual([MAX_ROWS_PER_STATEMENT, 1]);
  expect(written).toHaveLength(MAX_ROWS_PER_STATEMENT + 1);
});

test("a row already written gets only the text added since; anything else goes whole", () => {
  const step = makeStep({ id: "a", content: "Hello, world", status: "streaming" });
  expect(toStepRow(step, undefined)).toEqual({ ...step, appended: false });
  expect(toStepRow(step, "Hello")).toEqual({ ...step, content: ", world", appended: true });
  expect(toStepRow(step, "Goodbye")).toEqual({ ...step, appended: false });
});

test("a streaming step's later writes carry only its new text, until it is finished", async () => {
  const sent: StepRow[][] = [];
  const queue = new StepRowQueue(async <Row>(_sql: string, params: unknown[]): Promise<Row[]> => {
    sent.push(JSON.parse(params[0] as string));
    return [];
  }, 250);
  const { owner } = recordingOwner();
  const at = (content: string, status: StepNode["status"] = "streaming") =>
    makeStep({ id: "a", content, status, parentId: 'quote " backslash \\' });
  queue.put(at("Hel"), 0, owner);
  await queue.flush();
  queue.put(at("Hello"), 0, owner);
  await queue.flush();
  queue.put(at("Hello!", "done"), 0, owner);
  await queue.flush();
  queue.put({ ...at("Hello!", "done"), outputTokens: 3 }, 0, owner);
  await queue.flush();
  expect(sent.map(([row]) => [row?.content, row?.appended])).toEqual([
    ["Hel", false],
    ["lo", true],
    ["!", true],
    ["Hello!", false],
  ]);
  expect(sent[0]?.[0]?.parentId).toBe('quote " backslash \\');
});

test("a state is pending from put until its row holds it; a newer state stays until written too", async () => {
  let release = () => {};
  const queue = new StepRowQueue(async <Row>(): Promise<Row[]> => {
    await new Promise<void>((resolve) => (release = resolve));
    return [];
  }, 250);
  const { owner } = recordingOwner();
  const first = makeStep({ id: "a", sessionId: "s1", content: "H" });
  queue.put(first, 0, owner);
  queue.put(makeStep({ id: "b", sessionId: "s2" }), 1, owner);
  expect(queue.pendingOf("s1")).toEqual([first]);
  const writing = queue.flush();
  await vi.advanceTimersByTimeAsync(0);
  expect(queue.pendingOf("s1")).toEqual([first]); // on its way: not in the row yet
  const newer = makeStep({ id: "a", sessionId: "s1", content: "Hello" });
  queue.put(newer, 0, owner);
  release();
  await writing;
  expect(queue.pendingOf("s1")).toEqual([newer]); // the older state's write doesn't drop the newer one
  expect(queue.pendingOf("s2")).toEqual([]);
  const next = queue.flush();
  await vi.advanceTimersByTimeAsync(0);
  release();
  await next;
  expect(queue.pendingOf("s1")).toEqual([]);
});

test("a state that failed for good stays pending until its owner releases it", async () => {
  const db = fakeDatabase(new Set(["lost"]));
  const queue = new StepRowQueue(db.execute, 250);
  const { owner, failed } = recordingOwner();
  const lost = makeStep({ id: "lost", sessionId: "s" });
  queue.put(lost, 0, owner);
  for (let i = 0; i < MAX_WRITE_ATTEMPTS; i++) await queue.flush();
  expect(failed).toEqual([lost]);
  expect(queue.pendingOf("s")).toEqual([lost]);
  queue.release([lost]);
  expect(queue.pendingOf("s")).toEqual([]);
});

test("overlayPending: a pending state replaces its row; steps without a row come last", () => {
  const rows = [makeStep({ id: "a", content: "old" }), makeStep({ id: "b" })];
  const newer = makeStep({ id: "a", content: "new" });
  const fresh = makeStep({ id: "c" });
  expect(overlayPending(rows, [fresh, newer])).toEqual([newer, rows[1], fresh]);
  expect(overlayPending(rows, [])).toEqual(rows);
});
