import { afterAll, describe, expect, test } from "vitest";
import * as acceptRoute from "@/app/api/invitations/accept/route";
import * as branchRoute from "@/app/api/sessions/[id]/branch/route";
import * as branchesRoute from "@/app/api/sessions/[id]/branches/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import * as stepsRoute from "@/app/api/sessions/[id]/steps/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as invitationsRoute from "@/app/api/workspace/invitations/route";
import { stopSessionRuns, waitForRun } from "@/lib/agent/run";
import { listSessionSteps } from "@/lib/db/steps";
import { getSessionBus } from "@/lib/realtime/bus";
import type { StepNode } from "@/lib/steps/types";
import type { SessionEvent } from "@/lib/wire/events";
import type { RunView } from "@/lib/wire/sessions";
import { callRoute } from "../api";
import { accountCookie, guestCookie } from "../auth";
import { emulatorForFile } from "./emulator-env";

emulatorForFile();

const unique = (name: string) => `${name}.${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;
const sessions: string[] = [];
afterAll(async () => {
  for (const id of sessions) await stopSessionRuns(id);
});

/** `cookie` joins the workspace of `owner` as `role`, through an invitation link. */
async function join(owner: string, cookie: string, role: "member" | "viewer") {
  const invited = await callRoute(invitationsRoute.POST, { method: "POST", cookie: owner, body: { role } });
  expect(invited.status).toBe(201);
  const token = (invited.json.path as string).split("/").pop();
  const accepted = await callRoute(acceptRoute.POST, { method: "POST", cookie, body: { token } });
  expect(accepted.status).toBe(200);
}

/**
 * Issue 8 "who did what", through the routes with real sign-ins: two people (and a guest,
 * and a bot's token) in one workspace each edit, save a file and start a run; every step
 * and run names who made it — as the route answers, as viewers read it back (branch,
 * steps by id, runs, the branch list) and as the event bus tells live viewers.
 */
describe("who did what", () => {
  test("each person's edit, saved file and run shows their name; a guest is Guest; a bot its token", async () => {
    const ada = await accountCookie(unique("ada"));
    const grace = await accountCookie(unique("grace"));
    const guest = await guestCookie();
    await join(ada, grace, "member");
    await join(ada, guest, "member");
    const made = await callRoute(sessionsRoute.POST, { method: "POST", cookie: ada, body: { task: "Write fizzbuzz" } });
    const session = made.json.session as { id: string; activeLeafId: string };
    sessions.push(session.id);
    const taskId = session.activeLeafId;
    const params = { id: session.id, stepId: taskId };

    const published: SessionEvent[] = [];
    const following = getSessionBus().follow(
      session.id,
      (event) => published.push(event),
      () => {},
    );
    await following.ready;
    const edit = (cookie: string, content: string, headers: Record<string, string> = {}) =>
      callRoute(editRoute.POST, { method: "POST", cookie, params, body: { content }, headers });
    const byAda = await edit(ada, "Write fizzbuzz in TypeScript");
    const byGrace = await edit(grace, "Write fizzbuzz in Python");
    const byGuest = await edit(guest, "Write fizzbuzz in Go");
    const saved = await callRoute(filesRoute.POST, {
      method: "POST",
      cookie: grace,
      params: { id: session.id },
      body: { afterStepId: byGrace.json.step.id, path: "fizz.py", content: "print(1)\n" },
    });
    expect([byAda.status, byGrace.status, byGuest.status, saved.status]).toEqual([201, 201, 201, 201]);
    expect(byAda.json.step.authorName).toMatch(/^ada\./);
    expect(byGrace.json.step.authorName).toMatch(/^grace\./);
    expect(byGuest.json.step.authorName).toBe("Guest");
    expect(saved.json.step.authorName).toBe(byGrace.json.step.authorName);

    const token = await callRoute(tokensRoute.POST, {
      method: "POST",
      cookie: grace,
      body: { name: "nightly-ci", role: "member" },
    });
    expect(token.status).toBe(201);
    const bot = { authorization: `Bearer ${token.json.token}` };
    const byBot = await edit(null as unknown as string, "Write fizzbuzz in Rust", bot);
    expect(byBot.json.step.authorName).toBe("nightly-ci (bot)");
    // and by id, which a page compares with its person's (a guest's own included; a bot is its maker's)
    const authorIds = [byAda, byGrace, byGuest].map((made) => made.json.step.authorId);
    expect(authorIds.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(authorIds).size).toBe(3);
    expect([saved.json.step.authorId, byBot.json.step.authorId]).toEqual([
      byGrace.json.step.authorId,
      byGrace.json.step.authorId,
    ]);

    const start = async (cookie: string | null, headers: Record<string, string> = {}) => {
      const started = await callRoute(runsRoute.POST, {
        method: "POST",
        cookie,
        params: { id: session.id },
        body: { fromStepId: taskId },
        headers,
      });
      expect(started.status).toBe(202);
      await waitForRun(started.json.run.id);
      return started.json.run as RunView;
    };
    const runs = [await start(ada), await start(grace), await start(null, bot)];
    expect(runs.map((run) => run.startedByName)).toEqual([
      byAda.json.step.authorName,
      byGrace.json.step.authorName,
      "nightly-ci (bot)",
    ]);
    following.stop();

    // Live viewers were told the same names.
    const created = published.flatMap((event) =>
      event.type === "step.created" && event.step.origin !== "model" ? [event.step] : [],
    );
    // the model's steps name nobody: the run that made them names who started it
    expect(
      published.some(
        (event) => event.type === "step.created" && event.step.origin === "model" && event.step.authorName,
      ),
    ).toBe(false);
    expect(created.map((step) => step.authorName)).toEqual([
      byAda.json.step.authorName,
      byGrace.json.step.authorName,
      "Guest",
      byGrace.json.step.authorName,
      "nightly-ci (bot)",
    ]);
    const startedLive = new Map(
      published.flatMap((event) => (event.type === "run.updated" ? [[event.run.id, event.run.startedByName]] : [])),
    );
    expect(runs.map((run) => startedLive.get(run.id))).toEqual(runs.map((run) => run.startedByName));

    // A viewer reading them back (as Grace, another member) sees the same names.
    const ids = [byAda, byGrace, byGuest, saved, byBot].map((answer) => answer.json.step.id as string);
    const read = await callRoute(stepsRoute.GET, {
      cookie: grace,
      path: `/?ids=${ids.join(",")}`,
      params: { id: session.id },
    });
    expect(read.status).toBe(200);
    const names = new Map((read.json.steps as StepNode[]).map((step) => [step.id, step.authorName]));
    expect(ids.map((id) => names.get(id))).toEqual(created.map((step) => step.authorName));
    const listed = await callRoute(runsRoute.GET, { cookie: grace, params: { id: session.id } });
    expect((listed.json.runs as RunView[]).map((run) => run.startedByName)).toEqual(
      runs.map((run) => run.startedByName),
    );
    const branch = await callRoute(branchRoute.GET, {
      cookie: grace,
      path: `/?from=${saved.json.step.id}&exact=1`,
      params: { id: session.id },
    });
    const task = (branch.json.steps as StepNode[]).find((step) => step.id === taskId);
    expect(task?.authorName).toBe(byAda.json.step.authorName);
    expect((branch.json.steps as StepNode[]).find((step) => step.id === saved.json.step.id)?.authorName).toBe(
      byGrace.json.step.authorName,
    );

    // The branch list names who made each branch.
    const branches = await callRoute(branchesRoute.GET, { cookie: ada, params: { id: session.id } });
    const madeBy = new Map(
      (branches.json.branches as { leafId: string; madeByName: string | null }[]).map((b) => [b.leafId, b.madeByName]),
    );
    expect(madeBy.get(saved.json.step.id)).toBe(byGrace.json.step.authorName);
    expect(madeBy.get(byGuest.json.step.id)).toBe("Guest");
    expect(madeBy.get(byBot.json.step.id)).toBe("nightly-ci (bot)");
  });
});

describe("a run's turn loop reads the steps without their authors", () => {
  test("listSessionSteps with authors: false has the same steps, none with an author's name", async () => {
    const ada = await accountCookie(unique("ada"));
    const made = await callRoute(sessionsRoute.POST, { method: "POST", cookie: ada, body: { task: "Write fizzbuzz" } });
    const session = made.json.session as { id: string; workspaceId: string };
    const scope = { sessionId: session.id, workspaceId: session.workspaceId };
    const named = await listSessionSteps(scope);
    expect(named.map((step) => step.authorName)).toEqual([expect.any(String)]);
    const bare = await listSessionSteps({ ...scope, authors: false });
    expect(bare.map((step) => step.id)).toEqual(named.map((step) => step.id));
    expect(bare.every((step) => step.authorName === undefined)).toBe(true);
  });
});
