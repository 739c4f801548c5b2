import { beforeAll, describe, expect, test } from "vitest";
import * as queueRoute from "@/app/api/reviews/route";
import * as commentRoute from "@/app/api/sessions/[id]/comments/[commentId]/route";
import * as commentsRoute from "@/app/api/sessions/[id]/comments/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as reviewsRoute from "@/app/api/sessions/[id]/reviews/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { getPrisma } from "@/lib/db/client";
import { callRoute } from "../api";
import { guestCookie, workspaceOfTwo } from "../auth";

/**
 * Review of a branch, as on a pull request (issue 12 item 4): someone asks for review,
 * a reviewer approves or asks for changes with a summary; each verdict is kept; the
 * workspace's queue lists branches waiting for review and runs waiting for an approval,
 * newest first, with open comment threads (those that @mention the caller flagged). A
 * viewer can't review; another workspace's session or queue stays apart.
 */

let owner = "";
let viewer = "";
let outsider = "";

async function newSession(task: string, cookie = owner) {
  const { json } = await callRoute(sessionsRoute.POST, { method: "POST", cookie, body: { task } });
  return { id: json.session.id as string, leaf: json.session.activeLeafId as string };
}

function review(cookie: string, sessionId: string, body: unknown) {
  return callRoute(reviewsRoute.POST, { method: "POST", cookie, params: { id: sessionId }, body });
}

beforeAll(async () => {
  ({ owner, second: viewer } = await workspaceOfTwo("Ana", { name: "Vic", role: "viewer" }));
  outsider = await guestCookie();
}, 60_000);

describe("branch reviews", () => {
  test("ask, request changes, approve: each verdict kept, the queue shows only what still waits", async () => {
    const first = await newSession("Review me: fizzbuzz");
    const second = await newSession("Review me too: sum");
    expect((await review(owner, first.id, { leafId: first.leaf, verdict: "requested" })).status).toBe(201);
    expect(
      (await review(owner, second.id, { leafId: second.leaf, verdict: "requested", summary: "Tests?" })).status,
    ).toBe(201);

    const queue = await callRoute(queueRoute.GET, { cookie: owner });
    expect(queue.status).toBe(200);
    const waiting = queue.json.items.filter((item: { kind: string }) => item.kind === "branch");
    expect(waiting.map((item: { sessionTitle: string }) => item.sessionTitle).slice(0, 2)).toEqual([
      "Review me too: sum",
      "Review me: fizzbuzz",
    ]);
    expect(waiting[0].review).toMatchObject({ verdict: "requested", summary: "Tests?", by: "Ana" });
    const before = queue.json.counts.branches;

    const changes = await review(owner, first.id, { leafId: first.leaf, verdict: "changes_requested" });
    expect(changes.status).toBe(400);
    expect(changes.json.error.message).toMatch(/needs a summary/);
    expect(
      (await review(owner, first.id, { leafId: first.leaf, verdict: "changes_requested", summary: "Handle 0" })).status,
    ).toBe(201);
    expect((await review(owner, second.id, { leafId: second.leaf, verdict: "approved" })).status).toBe(201);

    const after = await callRoute(queueRoute.GET, { cookie: owner });
    expect(after.json.counts.branches).toBe(before - 2);
    expect(after.json.items.some((item: { sessionId: string }) => item.sessionId === first.id)).toBe(false);

    const history = await callRoute(reviewsRoute.GET, {
      cookie: owner,
      params: { id: first.id },
      path: `/api/sessions/${first.id}/reviews?leaf=${first.leaf}`,
    });
    expect(history.json.reviews.map((r: { verdict: string; summary: string }) => [r.verdict, r.summary])).toEqual([
      ["requested", ""],
      ["changes_requested", "Handle 0"],
    ]);
  });

  test("a viewer reads reviews but can't give one (403); bad input is a 400; an unknown step is a 404", async () => {
    const session = await newSession("Viewer rights");
    const refused = await review(viewer, session.id, { leafId: session.leaf, verdict: "approved" });
    expect(refused.status).toBe(403);
    expect((await callRoute(reviewsRoute.GET, { cookie: viewer, params: { id: session.id } })).status).toBe(200);
    expect((await review(owner, session.id, { leafId: session.leaf, verdict: "merged" })).status).toBe(400);
    expect((await review(owner, session.id, { verdict: "approved" })).status).toBe(400);
    const unknown = await review(owner, session.id, { leafId: "cunknownstep0000000000000", verdict: "approved" });
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, "not_found:step"]);
  });

  test("a leafId that can't be a step id is a 400, as GET's ?leaf= is; a well-formed unknown one stays a 404", async () => {
    const session = await newSession("Malformed leaf ids");
    for (const leafId of ["not an id", "a%2Fb", "../x", "é", "a\tb"]) {
      const posted = await review(owner, session.id, { leafId, verdict: "approved" });
      expect([leafId, posted.status, posted.json.error?.code]).toEqual([leafId, 400, "bad_request:leaf"]);
      expect(posted.json.error.message).toMatch(/must be the id of a step/);
      const listed = await callRoute(reviewsRoute.GET, {
        cookie: owner,
        params: { id: session.id },
        path: `/api/sessions/${session.id}/reviews?leaf=${encodeURIComponent(leafId)}`,
      });
      expect([leafId, listed.status, listed.json.error?.code]).toEqual([leafId, 400, "bad_request:leaf"]);
    }
    // too long to be any id: the body's own check, a 400 too
    const long = await review(owner, session.id, { leafId: "x".repeat(65), verdict: "approved" });
    expect([long.status, long.json.error?.code]).toEqual([400, "bad_request:validation"]);
    // a viewer is still refused for the scope first, whatever the id
    expect((await review(viewer, session.id, { leafId: "not an id", verdict: "approved" })).status).toBe(403);
  });

  test("a verdict is on a branch's end: a step with a continuation is a 400, its last step a 201", async () => {
    const session = await newSession("Review the end only");
    const saved = await callRoute(filesRoute.POST, {
      method: "POST",
      cookie: owner,
      params: { id: session.id },
      body: { afterStepId: session.leaf, path: "a.txt", content: "a\n" },
    });
    expect(saved.status).toBe(201);
    const midBranch = await review(owner, session.id, { leafId: session.leaf, verdict: "requested" });
    expect([midBranch.status, midBranch.json.error?.code]).toEqual([400, "bad_request:leaf"]);
    expect(midBranch.json.error.message).toMatch(/not the end of a branch/);
    const end = await review(owner, session.id, { leafId: saved.json.step.id, verdict: "requested" });
    expect(end.status).toBe(201);
  });

  test("a branch a run is still adding to is a 409, not a verdict left on what becomes a middle step", async () => {
    const session = await newSession("Review mid-run: write a sum");
    const prisma = await getPrisma();
    const lease = { ownerId: "another-instance", leaseExpiresAt: new Date(Date.now() + 60_000) };
    // a run started at the branch's end, before its first step
    const queued = await prisma.run.create({
      data: { sessionId: session.id, fromStepId: session.leaf, modelId: "offline-demo", status: "queued", ...lease },
    });
    const atStart = await review(owner, session.id, { leafId: session.leaf, verdict: "requested" });
    expect([atStart.status, atStart.json.error?.code]).toEqual([409, "conflict:run"]);
    // the run's newest step, which the run goes on from
    await prisma.run.update({ where: { id: queued.id }, data: { status: "running" } });
    const step = await prisma.step.create({
      data: {
        sessionId: session.id,
        parentId: session.leaf,
        runId: queued.id,
        kind: "thinking",
        origin: "model",
        status: "streaming",
      },
    });
    const midRun = await review(owner, session.id, { leafId: step.id, verdict: "requested" });
    expect([midRun.status, midRun.json.error?.code]).toEqual([409, "conflict:run"]);
    expect(midRun.json.error?.message).toBe(
      "A run is still adding to this branch: ask for a review, or give one, once the run has ended.",
    );
    // ended, the branch is whole
    await prisma.run.update({ where: { id: queued.id }, data: { status: "done" } });
    await prisma.step.update({ where: { id: step.id }, data: { status: "done" } });
    expect((await review(owner, session.id, { leafId: step.id, verdict: "requested" })).status).toBe(201);
  });

  test("another workspace's session is a 404, and its queue holds nothing of this one", async () => {
    const session = await newSession("Not yours");
    await review(owner, session.id, { leafId: session.leaf, verdict: "requested" });
    const foreign = await review(outsider, session.id, { leafId: session.leaf, verdict: "approved" });
    expect(foreign.status).toBe(404);
    expect((await callRoute(reviewsRoute.GET, { cookie: outsider, params: { id: session.id } })).status).toBe(404);
    const theirs = await callRoute(queueRoute.GET, { cookie: outsider });
    expect(theirs.json.items.some((item: { sessionId: string }) => item.sessionId === session.id)).toBe(false);
  });
});

describe("open comments in the queue", () => {
  const comment = (cookie: string, sessionId: string, body: unknown) =>
    callRoute(commentsRoute.POST, { method: "POST", cookie, params: { id: sessionId }, body });
  const queueOf = async (cookie: string) => (await callRoute(queueRoute.GET, { cookie })).json;
  type Item = { kind: string; commentId?: string; mentionsYou?: boolean; replies?: number; excerpt?: string };

  test("an open thread is listed (newest activity first), flagged for whom it mentions, gone once resolved", async () => {
    const session = await newSession("Comment on me");
    const before = await queueOf(viewer);
    const first = await comment(owner, session.id, { stepId: session.leaf, body: "@Vic does this read well?" });
    expect(first.status).toBe(201);
    const second = await comment(owner, session.id, { stepId: session.leaf, body: "Another thought" });
    const threadOf = (queue: { items: Item[] }, id: string) =>
      queue.items.find((item) => item.kind === "comment" && item.commentId === id);

    const forVic = await queueOf(viewer);
    expect(forVic.counts.comments).toBe(before.counts.comments + 2);
    expect(forVic.counts.mentions).toBe(before.counts.mentions + 1);
    expect(forVic.counts.total).toBe(before.counts.total + 2);
    expect(threadOf(forVic, first.json.comment.id)).toMatchObject({
      sessionTitle: "Comment on me",
      stepId: session.leaf,
      authorName: "Ana",
      excerpt: "@Vic does this read well?",
      replies: 0,
      mentionsYou: true,
    });
    // the newer thread first; then a reply makes the older one the newest
    const ids = forVic.items.filter((item: Item) => item.kind === "comment").map((item: Item) => item.commentId);
    expect(ids.indexOf(second.json.comment.id)).toBeLessThan(ids.indexOf(first.json.comment.id));
    await comment(viewer, session.id, { stepId: session.leaf, parentId: first.json.comment.id, body: "Yes" });
    const replied = await queueOf(owner);
    expect(replied.items[0]).toMatchObject({ kind: "comment", commentId: first.json.comment.id, replies: 1 });
    expect(threadOf(replied, first.json.comment.id)?.mentionsYou).toBe(false);

    const resolved = await callRoute(commentRoute.PATCH, {
      method: "PATCH",
      cookie: viewer,
      params: { id: session.id, commentId: first.json.comment.id },
      body: { resolved: true },
    });
    expect(resolved.status).toBe(200);
    const after = await queueOf(viewer);
    expect(threadOf(after, first.json.comment.id)).toBeUndefined();
    expect(after.counts.comments).toBe(before.counts.comments + 1);
    expect(after.counts.mentions).toBe(before.counts.mentions);

    const theirs = await queueOf(outsider);
    expect(threadOf(theirs, second.json.comment.id)).toBeUndefined();
  });
});

describe("the queue holds what the caller can act on", () => {
  test("a viewer's queue and count leave out approvals and branch reviews they can't give; a member's has them", async () => {
    const session = await newSession("Waits for an approval");
    const prisma = await getPrisma();
    await prisma.run.create({ data: { sessionId: session.id, modelId: "offline-demo", status: "awaiting_approval" } });
    expect((await review(owner, session.id, { leafId: session.leaf, verdict: "requested" })).status).toBe(201);

    const forOwner = (await callRoute(queueRoute.GET, { cookie: owner })).json;
    expect(forOwner.counts.approvals).toBeGreaterThanOrEqual(1);
    expect(forOwner.items.some((item: { sessionId: string; kind: string }) => item.kind === "approval")).toBe(true);

    const forViewer = (await callRoute(queueRoute.GET, { cookie: viewer })).json;
    expect(forViewer.counts).toMatchObject({ approvals: 0, branches: 0, total: forViewer.counts.comments });
    expect(forViewer.items.every((item: { kind: string }) => item.kind === "comment")).toBe(true);
  });
});
