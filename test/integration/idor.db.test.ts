import { describe, expect, test } from "vitest";
import * as cancelRoute from "@/app/api/runs/[runId]/cancel/route";
import * as runRoute from "@/app/api/runs/[runId]/route";
import * as downloadRoute from "@/app/api/sessions/[id]/download/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as contentRoute from "@/app/api/sessions/[id]/starting-files/content/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { stopSessionRuns } from "@/lib/agent/run";
import { callRoute } from "../api";
import { guestCookie } from "../auth";

/**
 * Two people, two workspaces, real sign-in cookies: every id of A's — session, step, run,
 * file — is 404 for B whichever route B puts it in, and A's data is unchanged.
 */
describe("ids from another workspace (IDOR)", () => {
  test("B can't read or change A's session, steps, runs or files", async () => {
    const a = await guestCookie();
    const b = await guestCookie();
    const made = await callRoute(sessionsRoute.POST, { method: "POST", cookie: a, body: { task: "A's secret task" } });
    const sa = made.json.session as { id: string; activeLeafId: string };
    const run = await callRoute(runsRoute.POST, { method: "POST", cookie: a, params: { id: sa.id }, body: {} });
    expect(run.status).toBe(202);
    await stopSessionRuns(sa.id);
    const mine = await callRoute(sessionsRoute.POST, { method: "POST", cookie: b, body: { task: "B's task" } });
    const sb = mine.json.session as { id: string };

    const attempts = [
      callRoute(sessionRoute.GET, { cookie: b, params: { id: sa.id } }),
      callRoute(sessionRoute.PATCH, { method: "PATCH", cookie: b, params: { id: sa.id }, body: { title: "mine" } }),
      callRoute(sessionRoute.DELETE, { method: "DELETE", cookie: b, params: { id: sa.id } }),
      callRoute(runsRoute.GET, { cookie: b, params: { id: sa.id } }),
      callRoute(runsRoute.POST, { method: "POST", cookie: b, params: { id: sa.id }, body: {} }),
      callRoute(runRoute.GET, { cookie: b, params: { runId: run.json.run.id } }),
      callRoute(cancelRoute.POST, { method: "POST", cookie: b, params: { runId: run.json.run.id } }),
      // A's step, in A's session and smuggled into B's own
      callRoute(editRoute.POST, {
        method: "POST",
        cookie: b,
        params: { id: sa.id, stepId: sa.activeLeafId },
        body: { content: "B's words" },
      }),
      callRoute(editRoute.POST, {
        method: "POST",
        cookie: b,
        params: { id: sb.id, stepId: sa.activeLeafId },
        body: { content: "B's words" },
      }),
      callRoute(filesRoute.POST, {
        method: "POST",
        cookie: b,
        params: { id: sa.id },
        body: { afterStepId: sa.activeLeafId, path: "a.ts", content: "x" },
      }),
      callRoute(contentRoute.GET, { cookie: b, path: "/?path=a.ts", params: { id: sa.id } }),
      callRoute(downloadRoute.GET, { cookie: b, params: { id: sa.id } }),
      callRoute(runsRoute.POST, {
        method: "POST",
        cookie: b,
        params: { id: sb.id },
        body: { fromStepId: sa.activeLeafId },
      }),
    ];
    const statuses = (await Promise.all(attempts)).map((result) => result.status);
    expect(statuses).toEqual(statuses.map(() => 404));
    const listed = await callRoute(sessionsRoute.GET, { cookie: b });
    expect(listed.json.sessions.map((session: { id: string }) => session.id)).toEqual([sb.id]);
    const still = await callRoute(sessionRoute.GET, { cookie: a, params: { id: sa.id } });
    expect(still.json.session.title).toBe("A's secret task");
    await stopSessionRuns(sb.id);
  });
});
