import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { NO_AUTHOR } from "@/lib/auth/authors";
import { type Caller, scopesOf } from "@/lib/auth/scopes";
import { getPrisma } from "@/lib/db/client";
import { getRun, listActiveRuns, listSessionRuns, requestRunStop, runFirstTokenAt } from "@/lib/db/runs";
import { createSession } from "@/lib/db/sessions";
import { getStartingManifest, loadStartingFiles } from "@/lib/db/starting-files";
import { getStepInSession, insertHumanStep, listSessionSteps } from "@/lib/db/steps";
import * as callerModule from "@/lib/http/caller";
import { API_ROUTES } from "@/lib/http/request-rules";
import { callRoute } from "../api";
import { asTestUser } from "../auth";

/**
 * The route helpers (lib/http/route.ts) as a caller meets them: a session of another
 * workspace is 404 on every session route, whatever the method; no caller is 401; a
 * caller without the scope is 403; a share link opens its own session only.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const SESSION_ROUTES = API_ROUTES.filter((entry) => entry.path.startsWith("/api/sessions/[id]"));

function handlerOf(route: string, method: string): Promise<Handler> {
  return import(/* @vite-ignore */ path.join(process.cwd(), "app", route, "route.ts")).then(
    (module) => module[method] as Handler,
  );
}

async function foreignSession() {
  const prisma = await getPrisma();
  const slug = `other-${Math.random().toString(36).slice(2)}`;
  const workspace = await prisma.workspace.create({ data: { slug, name: "Another team" } });
  const session = await createSession({
    workspaceId: workspace.id,
    task: "Someone else's task",
    modelId: "offline-demo",
    settings: { maxTurns: 3 },
  });
  return { workspace, session };
}

async function localSession() {
  const { workspaceId } = (await callerModule.resolveCaller(
    await asTestUser(new Request("http://localhost/")),
  )) as Caller;
  return createSession({ workspaceId, task: "Our task", modelId: "offline-demo", settings: { maxTurns: 3 } });
}

function call(handler: Handler, method: string, params: Record<string, string>) {
  const write = method !== "GET" && method !== "DELETE";
  return callRoute(handler, { method, params, body: write ? {} : undefined });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("session routes", () => {
  test("an id from another workspace is 404 not_found:session on every method, and nothing changes", async () => {
    const { session } = await foreignSession();
    expect(SESSION_ROUTES.length).toBeGreaterThan(10);
    for (const entry of SESSION_ROUTES) {
      for (const method of entry.methods) {
        const handler = await handlerOf(entry.path, method);
        const { status, json } = await call(handler, method, { id: session.id, stepId: session.activeLeafId ?? "" });
        expect({ route: `${method} ${entry.path}`, status, code: json?.error?.code }).toEqual({
          route: `${method} ${entry.path}`,
          status: 404,
          code: "not_found:session",
        });
      }
    }
    const prisma = await getPrisma();
    const row = await prisma.session.findUnique({ where: { id: session.id } });
    expect(row?.title).toBe("Someone else's task");
    expect(await prisma.step.count({ where: { sessionId: session.id } })).toBe(1);
  });

  test("no caller is 401; a caller without the scope is 403, but 404 for another workspace's session", async () => {
    const ours = await localSession();
    const { session: theirs } = await foreignSession();
    const real = await callerModule.resolveCaller(await asTestUser(new Request("http://localhost/")));
    const one = await handlerOf("/api/sessions/[id]", "PATCH");

    vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(null);
    expect((await call(one, "PATCH", { id: ours.id })).json.error.code).toBe("unauthorized:caller");

    const viewer: Caller = { ...(real as Caller), role: "viewer", scopes: scopesOf("viewer") };
    vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(viewer);
    const refused = await call(one, "PATCH", { id: ours.id });
    expect([refused.status, refused.json.error.code]).toEqual([403, "forbidden:scope"]);
    expect((await call(await handlerOf("/api/sessions/[id]", "GET"), "GET", { id: ours.id })).status).toBe(200);
    expect((await call(one, "PATCH", { id: theirs.id })).status).toBe(404);
  });

  test("a share link opens its own session and nothing else of the workspace", async () => {
    const shared = await localSession();
    const other = await localSession();
    const real = (await callerModule.resolveCaller(await asTestUser(new Request("http://localhost/")))) as Caller;
    vi.spyOn(callerModule, "resolveCaller").mockResolvedValue({
      ...real,
      userId: null,
      role: "viewer",
      scopes: scopesOf("viewer"),
      via: "share",
      share: { sessionId: shared.id, leafId: null },
    });
    const one = await handlerOf("/api/sessions/[id]", "GET");
    expect((await call(one, "GET", { id: shared.id })).status).toBe(200);
    expect((await call(one, "GET", { id: other.id })).json.error.code).toBe("not_found:session");
    const list = await handlerOf("/api/sessions", "GET");
    expect((await call(list, "GET", {})).json.error.code).toBe("forbidden:share");
  });
});

describe("data functions", () => {
  test("given another workspace, they find nothing of a session and change nothing (the filter is in the query)", async () => {
    const { workspace: theirs, session } = await foreignSession();
    const { workspaceId } = (await callerModule.resolveCaller(
      await asTestUser(new Request("http://localhost/")),
    )) as Caller;
    const prisma = await getPrisma();
    const step = await prisma.step.findFirstOrThrow({ where: { sessionId: session.id } });
    const run = await prisma.run.create({
      data: { sessionId: session.id, modelId: "offline-demo", status: "running" },
    });
    const scope = { sessionId: session.id, workspaceId };

    expect(await listSessionSteps(scope)).toEqual([]);
    await expect(getStepInSession({ ...scope, stepId: step.id })).rejects.toMatchObject({ code: "not_found:step" });
    expect(await listSessionRuns(scope)).toEqual([]);
    expect(await listActiveRuns(scope)).toEqual([]);
    expect(await getStartingManifest(scope)).toBeNull();
    expect(await loadStartingFiles(scope)).toEqual(new Map());
    await expect(getRun({ runId: run.id, workspaceId })).rejects.toMatchObject({ code: "not_found:run" });
    expect(await runFirstTokenAt({ runId: run.id, workspaceId })).toBeNull();
    await requestRunStop({ runId: run.id, workspaceId });
    const human = { parentId: step.id, kind: "user_note", origin: "human", content: "x", turn: null } as const;
    await expect(
      insertHumanStep({ ...scope, step: { ...human, editedFromId: null, providerData: null }, author: NO_AUTHOR }),
    ).rejects.toMatchObject({ code: "not_found:session" });

    expect((await prisma.run.findUniqueOrThrow({ where: { id: run.id } })).cancelRequestedAt).toBeNull();
    expect(await prisma.step.count({ where: { sessionId: session.id } })).toBe(1);
    // The same calls in the session's own workspace do find it.
    expect(await listSessionSteps({ sessionId: session.id, workspaceId: theirs.id })).toHaveLength(1);
    await prisma.run.delete({ where: { id: run.id } });
  });
});
