import { expect, test } from "vitest";
import * as collection from "@/app/api/sessions/route";
import { makeStep } from "@/lib/steps/fixtures";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "@/test/api";
import { getDatabase } from "./client";
import { toStepNode } from "./mappers";
import { MAX_WRITE_ATTEMPTS, type StepRowOwner, StepRowQueue } from "./step-rows";

async function newSession(): Promise<{ sessionId: string; rootId: string }> {
  const { json } = await callRoute(collection.POST, { method: "POST", body: { task: "Step rows" } });
  return { sessionId: json.session.id, rootId: json.session.activeLeafId };
}

function owner() {
  const failed: unknown[] = [];
  const written: StepNode[] = [];
  const value: StepRowOwner = {
    written: (step) => written.push(step),
    failed: (_step, error) => failed.push(error),
  };
  return { value, failed, written };
}

async function queue(): Promise<StepRowQueue> {
  const db = await getDatabase();
  return new StepRowQueue(db.query, 250);
}

async function stored(id: string): Promise<StepNode> {
  const { prisma } = await getDatabase();
  return toStepNode(await prisma.step.findUniqueOrThrow({ where: { id } }));
}

test("a new step and its new child are inserted in one statement, then brought up to date", async () => {
  const { sessionId, rootId } = await newSession();
  const rows = await queue();
  const { value, failed } = owner();
  const thinking = makeStep({
    id: crypto.randomUUID(),
    sessionId,
    parentId: rootId,
    kind: "thinking",
    status: "streaming",
    turn: 1,
    createdAt: "2026-03-01T12:00:00.123Z",
  });
  const text = makeStep({ id: crypto.randomUUID(), sessionId, parentId: thinking.id, status: "streaming", turn: 1 });
  rows.put(thinking, 0, value);
  rows.put(text, 1, value);
  await rows.flush();
  expect(failed).toEqual([]);
  expect(await stored(thinking.id)).toEqual(thinking);

  const finished: StepNode = {
    ...thinking,
    status: "done",
    content: 'It said "hi" \\ and ünïcode ✓\nthen <b>tags</b>',
    providerData: { signature: "sig/+=", reasoningDetails: [{ type: "reasoning.text", text: "t", index: 0 }, null] },
    inputTokens: 120,
    outputTokens: 40,
    reasoningTokens: 30,
    reasoningEstimated: true,
    costUsd: 0.000_123_4,
    firstTokenAt: "2026-03-01T12:00:00.456Z",
    finishedAt: "2026-03-01T12:00:01.789Z",
  };
  rows.put(finished, 0, value);
  await rows.flush();
  expect(failed).toEqual([]);
  expect(await stored(thinking.id)).toEqual(finished);
  expect(await stored(text.id)).toEqual(text);
});

test("a step whose session is gone fails its own run only", async () => {
  const live = await newSession();
  const gone = await newSession();
  const { prisma } = await getDatabase();
  await prisma.session.delete({ where: { id: gone.sessionId } });
  const rows = await queue();
  const healthy = owner();
  const orphaned = owner();
  const kept = makeStep({ id: crypto.randomUUID(), sessionId: live.sessionId, parentId: live.rootId });
  rows.put(kept, 0, healthy.value);
  rows.put(makeStep({ id: crypto.randomUUID(), sessionId: gone.sessionId, parentId: gone.rootId }), 1, orphaned.value);
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) await rows.flush();
  expect(healthy.failed).toEqual([]);
  expect(healthy.written).toEqual([kept]);
  expect(orphaned.failed).toHaveLength(1);
  expect(await stored(kept.id)).toEqual(kept);
});

test("a streaming step's text grows by appends, emoji and all, and a replaced text is stored whole", async () => {
  const { sessionId, rootId } = await newSession();
  const rows = await queue();
  const { value, failed } = owner();
  const base = makeStep({ id: crypto.randomUUID(), sessionId, parentId: rootId, kind: "text", status: "streaming" });
  for (const content of ["Hé", "Hé🙂", "Hé🙂 naïve — 完", 'Hé🙂 naïve — 完成\\n"quoted"']) {
    rows.put({ ...base, content }, 0, value);
    await rows.flush();
    expect((await stored(base.id)).content).toBe(content);
  }
  const replaced = { ...base, content: "A different ending", status: "done" as const };
  rows.put(replaced, 0, value);
  await rows.flush();
  expect(failed).toEqual([]);
  expect(await stored(base.id)).toEqual(replaced);
});
