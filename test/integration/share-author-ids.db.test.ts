import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { callerFromShareToken } from "@/lib/auth/credentials";
import { type Caller, scopesOf } from "@/lib/auth/scopes";
import { getCallerBranchView } from "@/lib/db/branch-view";
import { getPrisma } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import * as callerModule from "@/lib/http/caller";
import { getSessionBus } from "@/lib/realtime/bus";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { readStream } from "./read-sse";

/**
 * Steps carry their author's user id (`authorId`) for the workspace's members, but a share
 * link's audience is outside the workspace: everything it is sent (the share page's first
 * view, a session page opened with its token, `…/branch`, `…/steps`, the event stream's
 * snapshot and step events, live and resumed, for a whole-tree and a branch link) has the
 * author's name and no `authorId` key. A member still gets it.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function handler(route: string, method: string): Promise<Handler> {
  const module = await import(/* @vite-ignore */ path.join(process.cwd(), "app", route, "route.ts"));
  return module[method] as Handler;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** A workspace, its owner, a session whose task step the owner wrote, and a whole-tree and a branch share link. */
async function sharedSession() {
  const prisma = await getPrisma();
  const workspace = await prisma.workspace.create({ data: { slug: `t-${randomUUID()}`, name: "A team" } });
  const user = await prisma.user.create({
    data: { id: randomUUID(), name: "Ada", email: `${randomUUID()}@example.com` },
  });
  await prisma.member.create({ data: { workspaceId: workspace.id, userId: user.id, role: "owner" } });
  const member: Caller = {
    workspaceId: workspace.id,
    userId: user.id,
    role: "owner",
    scopes: scopesOf("owner"),
    via: "cookie",
  };
  const session = await createSession({
    workspaceId: workspace.id,
    task: "Write fizzbuzz",
    modelId: "offline-demo",
    settings: { maxTurns: 3 },
  });
  const taskId = session.activeLeafId as string;
  await prisma.step.update({ where: { id: taskId }, data: { userId: user.id } });
  const share = async (body: object) => {
    vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(member);
    const made = await callRoute(await handler("/api/sessions/[id]/shares", "POST"), {
      method: "POST",
      params: { id: session.id },
      body,
    });
    vi.restoreAllMocks();
    expect(made.status).toBe(201);
    return made.json.token as string;
  };
  const tree = await share({});
  const branch = await share({ scope: "branch", leafId: taskId });
  return { workspace, user, member, session, taskId, tokens: { tree, branch } };
}

/** Every `authorId` key anywhere in a JSON value (or SSE text). */
const authorIdKeys = (value: unknown) => (JSON.stringify(value).match(/\\?"authorId\\?"/g) ?? []).length;

describe("a share link's audience never gets members' user ids", () => {
  test("…/branch, …/steps and the share page's view: names only for a share link, ids for a member", async () => {
    const { user, member, session, taskId, tokens } = await sharedSession();
    const branchRoute = await handler("/api/sessions/[id]/branch", "GET");
    const stepsRoute = await handler("/api/sessions/[id]/steps", "GET");

    vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(member);
    const own = await callRoute(branchRoute, { params: { id: session.id } });
    const ownSteps = await callRoute(stepsRoute, { path: `/?ids=${taskId}`, params: { id: session.id } });
    vi.restoreAllMocks();
    expect(own.json.steps[0]).toMatchObject({ id: taskId, authorName: "Ada", authorId: user.id });
    expect(ownSteps.json.steps[0]).toMatchObject({ id: taskId, authorName: "Ada", authorId: user.id });
    const ownView = await getCallerBranchView(member, { id: session.id, leafId: null });
    expect(ownView.steps[0]).toMatchObject({ authorId: user.id });

    for (const token of [tokens.tree, tokens.branch]) {
      for (const credential of [{ path: `/?share=${token}` }, { headers: { authorization: `Bearer ${token}` } }]) {
        const read = await callRoute(branchRoute, { cookie: null, ...credential, params: { id: session.id } });
        const query = credential.path ? `${credential.path}&ids=${taskId}` : `/?ids=${taskId}`;
        const steps = await callRoute(stepsRoute, {
          cookie: null,
          ...credential,
          path: query,
          params: { id: session.id },
        });
        expect([read.status, steps.status]).toEqual([200, 200]);
        expect(read.json.steps[0]).toMatchObject({ id: taskId, authorName: "Ada" });
        expect(steps.json.steps[0]).toMatchObject({ id: taskId, authorName: "Ada" });
        expect([authorIdKeys(read.json), authorIdKeys(steps.json)]).toEqual([0, 0]);
      }
      // what the share page (and a session page opened with the token) renders from
      const viewer = await callerFromShareToken(token);
      if (!viewer) throw new Error("the share token resolved to no caller");
      const page = await getCallerBranchView(viewer, { id: session.id, leafId: null });
      expect(page.steps[0]).toMatchObject({ id: taskId, authorName: "Ada" });
      expect(authorIdKeys(page)).toBe(0);
    }
  });

  test("the event stream: snapshot, step events and a resume carry no authorId for a share link; a member's do", async () => {
    const { user, member, session, taskId, tokens } = await sharedSession();
    const events = await handler("/api/sessions/[id]/events", "GET");
    const controller = new AbortController();
    const open = async (query: string, caller: Caller | null = null) => {
      if (caller) vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(caller);
      const response = await events(new Request(`http://localhost/${query}`, { signal: controller.signal }), {
        params: Promise.resolve({ id: session.id }),
      });
      vi.restoreAllMocks();
      expect(response.status).toBe(200);
      return response;
    };
    try {
      const streams = {
        tree: await open(`?share=${tokens.tree}`),
        branch: await open(`?share=${tokens.branch}`),
        member: await open("", member),
      };
      const snapshots: Record<string, string> = {};
      for (const [name, response] of Object.entries(streams)) {
        snapshots[name] = await readStream(
          response,
          (text) => text.includes('"type":"snapshot"') && text.endsWith("\n\n"),
        );
        expect([name, snapshots[name]]).toEqual([name, expect.stringContaining('"authorName":"Ada"')]);
      }
      expect([authorIdKeys(snapshots.tree), authorIdKeys(snapshots.branch)]).toEqual([0, 0]);
      expect(snapshots.member).toContain(`"authorId":"${user.id}"`);

      // a member's step events, as the routes publish them (StepNode with authorId)
      const task = (await getCallerBranchView(member, { id: session.id, leafId: null })).steps[0] as StepNode;
      expect(task.authorId).toBe(user.id);
      const bus = getSessionBus();
      bus.publish(session.id, { type: "step.updated", step: task });
      bus.publish(session.id, {
        type: "step.created",
        step: { ...task, id: randomUUID(), parentId: taskId, content: "a note below" },
      });
      const seen = (text: string) => text.includes('"type":"step.updated"') && text.includes('"type":"step.created"');
      let first = 0;
      for (const [name, response] of Object.entries(streams)) {
        const text = await readStream(response, (read) => seen(read) && read.endsWith("\n\n"));
        first = Number(/id: (\d+)\ndata: \{"type":"step\.updated"/.exec(text)?.[1]);
        if (name === "member") expect(authorIdKeys(text)).toBe(2);
        else expect([name, authorIdKeys(text)]).toEqual([name, 0]);
      }

      // a reconnect from just before them: the bus's events again, no snapshot (a branch link seeds from the database)
      expect(first).toBeGreaterThan(0);
      for (const token of [tokens.tree, tokens.branch]) {
        const resumed = await open(`?share=${token}&after=${first - 1}`);
        const text = await readStream(resumed, (read) => seen(read) && read.endsWith("\n\n"));
        expect(authorIdKeys(text)).toBe(0);
      }
    } finally {
      controller.abort();
    }
  });
});
