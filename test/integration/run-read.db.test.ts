import { describe, expect, test } from "vitest";
import * as runRoute from "@/app/api/runs/[runId]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import * as tokensRoute from "@/app/api/tokens/route";
import { stopSessionRuns, waitForRun } from "@/lib/agent/run";
import { callRoute } from "../api";
import { guestCookie } from "../auth";

/** A new session of `cookie`'s with one offline-demo run (one turn), finished. */
async function finishedRun(cookie: string, task: string): Promise<{ sessionId: string; runId: string }> {
  const made = await callRoute(sessionsRoute.POST, {
    method: "POST",
    cookie,
    body: { task, modelId: "offline-demo", maxTurns: 1 },
  });
  const sessionId = made.json.session.id as string;
  const started = await callRoute(runsRoute.POST, { method: "POST", cookie, params: { id: sessionId }, body: {} });
  expect(started.status).toBe(202);
  const runId = started.json.run.id as string;
  await waitForRun(runId);
  return { sessionId, runId };
}

/**
 * GET /api/runs/:id: one run as the session's run list shapes it, for whoever may read the
 * session's runs (a sign-in cookie or an API token of the workspace); another workspace's
 * run and an unknown id are 404, a malformed id a 400, all in the documented error shape.
 */
describe("GET /api/runs/:id", () => {
  test("answers the run as the run list has it; a token of a viewer reads it too", async () => {
    const owner = await guestCookie();
    const { sessionId, runId } = await finishedRun(owner, "Write fizzbuzz");

    const read = await callRoute(runRoute.GET, { cookie: owner, params: { runId } });
    expect(read.status).toBe(200);
    const listed = await callRoute(runsRoute.GET, { cookie: owner, params: { id: sessionId } });
    expect(read.json).toEqual({ run: listed.json.runs.find((run: { id: string }) => run.id === runId) });
    expect(read.json.run).toMatchObject({ id: runId, sessionId, resumesRunId: null, resumedByRunId: null });

    const minted = await callRoute(tokensRoute.POST, {
      method: "POST",
      cookie: owner,
      body: { name: "poller", role: "viewer" },
    });
    expect(minted.status).toBe(201);
    const byToken = await callRoute(runRoute.GET, {
      cookie: null,
      headers: { authorization: `Bearer ${minted.json.token}` },
      params: { runId },
    });
    expect([byToken.status, byToken.json.run?.id]).toEqual([200, runId]);
    await stopSessionRuns(sessionId);
  });

  test("another workspace's run and an unknown id are 404, a malformed id 400, no caller 401", async () => {
    const owner = await guestCookie();
    const outsider = await guestCookie();
    const { sessionId, runId } = await finishedRun(owner, "Not yours");

    const foreign = await callRoute(runRoute.GET, { cookie: outsider, params: { runId } });
    expect([foreign.status, foreign.json.error.code]).toEqual([404, "not_found:run"]);
    const unknown = await callRoute(runRoute.GET, { cookie: owner, params: { runId: "cunknownrun00000000000000" } });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "not_found:run"]);
    const malformed = await callRoute(runRoute.GET, { cookie: owner, params: { runId: "not an id%" } });
    expect([malformed.status, malformed.json.error.code]).toEqual([400, "bad_request:id"]);
    const anonymous = await callRoute(runRoute.GET, { cookie: null, params: { runId } });
    expect([anonymous.status, anonymous.json.error.code]).toEqual([401, "unauthorized:caller"]);
    await stopSessionRuns(sessionId);
  });
});
