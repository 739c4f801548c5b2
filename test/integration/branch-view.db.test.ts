import { beforeAll, describe, expect, test } from "vitest";
import * as branchRoute from "@/app/api/sessions/[id]/branch/route";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as one from "@/app/api/sessions/[id]/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as stepsRoute from "@/app/api/sessions/[id]/steps/route";
import * as collection from "@/app/api/sessions/route";
import { getBranchView } from "@/lib/db/branch-view";
import { getDatabase } from "@/lib/db/client";
import { getSessionWithTree } from "@/lib/db/steps";
import { OUTLINE_TAIL_STEPS, outlineBranch, resolveLeaf } from "@/lib/steps/branch-outline";
import { indexSteps } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { testUserCookie } from "../auth";

/**
 * Issue 13 item 10: the page and the SSE snapshot carry the branch on screen (its outline
 * and last steps), the rest comes from /branch and /steps. A session of a 70-step main
 * branch with a 30-step fork below step 20 (an edit of it).
 */

const MAIN = 70;
const FORK_AT = 20;
const FORK = 30;

let sessionId = "";
let main: string[] = [];
let fork: string[] = [];

async function insertChain(parentId: string, length: number, prefix: string, startMs: number, editedFromId?: string) {
  const { prisma } = await getDatabase();
  const ids = Array.from({ length }, (_, i) => `${prefix}${sessionId.slice(-8)}${String(i).padStart(4, "0")}`);
  await prisma.step.createMany({
    data: ids.map((id, i) => ({
      id,
      sessionId,
      parentId: i === 0 ? parentId : (ids[i - 1] as string),
      kind: i % 2 === 0 ? "thinking" : "tool_call",
      origin: i === 0 && editedFromId ? "human_edit" : "model",
      status: "done",
      content: `${prefix} step ${i}`,
      editedFromId: i === 0 ? (editedFromId ?? null) : null,
      createdAt: new Date(startMs + i * 1000),
    })),
  });
  return ids;
}

/** The first message of a session's event stream (a snapshot, or the first missed event). */
async function firstMessage(query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const request = new Request(`http://localhost/api/sessions/${sessionId}/events${query}`, {
    headers: { cookie: await testUserCookie(), ...headers },
    signal: controller.signal,
  });
  const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: sessionId }) });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended (${response.status}): ${text}`);
      text += decoder.decode(value, { stream: true });
      const match = /data: (.*)\n\n/.exec(text);
      if (match) return JSON.parse(match[1] as string);
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => {});
  }
}

beforeAll(async () => {
  const created = await callRoute(collection.POST, { method: "POST", body: { task: "A long session" } });
  sessionId = created.json.session.id;
  const task = created.json.session.activeLeafId as string;
  const start = Date.now() - 1_000_000;
  main = [task, ...(await insertChain(task, MAIN - 1, "m", start))];
  const edited = main[FORK_AT] as string;
  fork = await insertChain(main[FORK_AT - 1] as string, FORK, "f", start + 200_000, edited);
  await callRoute(one.PATCH, { method: "PATCH", params: { id: sessionId }, body: { activeLeafId: main.at(-1) } });
}, 60_000); // the embedded database applies its migrations first

describe("the branch on screen, not the whole tree", () => {
  test("the active branch: its outline, the fork's alternatives, and only its last steps whole", async () => {
    const { status, json } = await callRoute(branchRoute.GET, { params: { id: sessionId } });
    expect(status).toBe(200);
    expect(json.branch.path).toEqual(main);
    expect(json.branch.kinds[0]).toBe("task");
    expect(json.branch.forks).toEqual({ [main[FORK_AT - 1] as string]: [main[FORK_AT], fork[0]] });
    expect(json.branch.branchCount).toBe(2);
    expect(json.steps.map((step: { id: string }) => step.id)).toEqual(main.slice(-OUTLINE_TAIL_STEPS));
  });

  test("switching to the alternative opens its latest continuation; exact opens the step itself", async () => {
    const latest = await callRoute(branchRoute.GET, { path: `/?from=${fork[0]}`, params: { id: sessionId } });
    expect(latest.json.branch.leafId).toBe(fork.at(-1));
    expect(latest.json.branch.path).toEqual([...main.slice(0, FORK_AT), ...fork]);
    // the edit's original comes with it, for the diff
    expect(latest.json.steps.map((step: { id: string }) => step.id)).toContain(main[FORK_AT]);
    const exact = await callRoute(branchRoute.GET, { path: `/?from=${fork[3]}&exact=1`, params: { id: sessionId } });
    expect(exact.json.branch.leafId).toBe(fork[3]);
  });

  test("steps come in pages by id; unknown ids are left out, too many is a 400", async () => {
    const ids = main.slice(1, 11);
    const page = await callRoute(stepsRoute.GET, {
      path: `/?ids=${[...ids, "nosuchstep"].join(",")}`,
      params: { id: sessionId },
    });
    expect(page.status).toBe(200);
    expect(page.json.steps.map((step: { id: string }) => step.id).sort()).toEqual([...ids].sort());
    const tooMany = await callRoute(stepsRoute.GET, {
      path: `/?ids=${Array.from({ length: 201 }, (_, i) => `x${i}`).join(",")}`,
      params: { id: sessionId },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.code).toBe("bad_request:ids");
  });

  test("the SSE snapshot outlines the branch asked for (?leaf=), else the active one", async () => {
    const active = await firstMessage("");
    expect(active.type).toBe("snapshot");
    expect(active.branch.leafId).toBe(main.at(-1));
    expect(active.steps).toHaveLength(OUTLINE_TAIL_STEPS);
    const other = await firstMessage(`?leaf=${fork[5]}`);
    expect(other.branch.leafId).toBe(fork.at(-1));
  });

  test("editing a step of a branch the viewer has not loaded, then a resumed stream sends only the edit", async () => {
    const snapshot = await firstMessage(`?leaf=${main.at(-1)}`);
    const target = fork[10] as string;
    const edit = await callRoute(editRoute.POST, {
      method: "POST",
      params: { id: sessionId, stepId: target },
      body: { content: "a better thought" },
    });
    expect(edit.status).toBe(201);
    const created = edit.json.step;
    expect(created.parentId).toBe(fork[9]);

    // Resume after the snapshot (Last-Event-ID): the edit, not a new snapshot.
    const resumed = await firstMessage("", { "last-event-id": String(snapshot.seq) });
    expect(resumed).toMatchObject({ type: "step.created", step: { id: created.id } });

    // Reload on the edit: its branch, with the original and the edit as alternatives.
    const reloaded = await callRoute(branchRoute.GET, { path: `/?from=${created.id}`, params: { id: sessionId } });
    expect(reloaded.json.branch.leafId).toBe(created.id);
    expect(reloaded.json.branch.forks[fork[9] as string]).toEqual([target, created.id]);
    expect(reloaded.json.branch.branchCount).toBe(3);
  });
});

/** A small deterministic random generator (mulberry32), so a failing tree can be made again. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the outline is read in one statement, as the tree functions outline it", () => {
  test("random trees: every leaf asked for (latest continuation and exact), none, an unknown one", async () => {
    const { prisma } = await getDatabase();
    for (const seed of [1, 2]) {
      const next = random(seed);
      const created = await callRoute(collection.POST, { method: "POST", body: { task: `Random tree ${seed}` } });
      const id = created.json.session.id as string;
      const row = await prisma.session.findFirstOrThrow({ where: { id } });
      const nodes = [created.json.session.activeLeafId as string];
      const base = Date.now() - 500_000;
      // Ids in mixed case and times that repeat: siblings order by time, then by id in code-unit order.
      const rows = Array.from({ length: 40 }, (_, i) => {
        const stepId = `${next() < 0.5 ? "Q" : "q"}${seed}${String(i).padStart(3, "0")}${id.slice(-6)}`;
        const parentId = next() < 0.1 ? null : (nodes[Math.floor(next() * nodes.length)] as string);
        nodes.push(stepId);
        return {
          id: stepId,
          sessionId: id,
          parentId,
          kind: i % 3 === 0 ? "tool_call" : "thinking",
          origin: "model",
          status: "done",
          content: `step ${i}`,
          createdAt: new Date(base + Math.floor(next() * 20) * 1000),
        };
      });
      // Parents first: a row's parent must exist when it is inserted.
      for (const data of rows) await prisma.step.create({ data });
      const tree = await getSessionWithTree({ id, workspaceId: row.workspaceId });
      const index = indexSteps(tree.steps);
      const asks: [string | null, boolean][] = [
        [null, false],
        ["nosuchstep", false],
        ["nosuchstep", true],
      ];
      for (const stepId of nodes) asks.push([stepId, false], [stepId, true]);
      for (const [leafId, exact] of asks) {
        const expected = outlineBranch(index, resolveLeaf(index, leafId, { exact, fallback: row.activeLeafId }));
        const view = await getBranchView({ id, workspaceId: row.workspaceId, leafId, exact });
        expect(view.branch, `seed ${seed}, leaf ${leafId}, exact ${exact}`).toEqual(expected);
      }
    }
  }, 120_000);

  test("steps the write-behind queue holds are on the outline as if written", async () => {
    const { prisma, stepRows } = await getDatabase();
    const workspaceId = (await prisma.session.findFirstOrThrow({ where: { id: sessionId } })).workspaceId;
    const at = Date.now();
    const step = (stepId: string, parentId: string, offset: number): StepNode => ({
      id: stepId,
      sessionId,
      parentId,
      runId: null,
      kind: "thinking",
      origin: "model",
      status: "streaming",
      content: "",
      turn: 1,
      providerData: null,
      editedFromId: null,
      inputTokens: null,
      outputTokens: null,
      reasoningTokens: null,
      costUsd: null,
      createdAt: new Date(at + offset).toISOString(),
      firstTokenAt: null,
      finishedAt: null,
    });
    const leaf = main.at(-1) as string;
    // a continuation of the active branch, and a new alternative of its tenth step
    const continued = step(`live1${sessionId.slice(-8)}`, leaf, 0);
    const alternative = step(`live2${sessionId.slice(-8)}`, main[8] as string, 1);
    const owner = { written: () => {}, failed: () => {} };
    stepRows.put(continued, 1, owner);
    stepRows.put(alternative, 2, owner);
    // Whether the queue has written them by the time of the read or not, the outline is the same.
    const view = await getBranchView({ id: sessionId, workspaceId, leafId: leaf, exact: false });
    expect(view.branch.leafId).toBe(continued.id);
    expect(view.branch.path).toEqual([...main, continued.id]);
    expect(view.branch.forks[main[8] as string]).toEqual([main[9], alternative.id]);
    const exact = await getBranchView({ id: sessionId, workspaceId, leafId: alternative.id, exact: true });
    expect(exact.branch.path).toEqual([...main.slice(0, 9), alternative.id]);
    await stepRows.flush();
  });

  test("a session of another workspace reads as not found", async () => {
    await expect(
      getBranchView({ id: sessionId, workspaceId: "another-workspace", leafId: null }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});
