import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { type Caller, type Role, scopesOf } from "@/lib/auth/scopes";
import { getPrisma } from "@/lib/db/client";
import { recordCredentialUse } from "@/lib/db/credential-use";
import { createSession } from "@/lib/db/sessions";
import * as callerModule from "@/lib/http/caller";
import { callRoute } from "../api";
import { readStream } from "./read-sse";

/**
 * Share links and API tokens through their routes and the real caller resolution
 * (lib/http/caller.ts → lib/auth/credentials.ts): what a link or token opens, what it
 * doesn't, that revoking and re-minting stop it at once (open streams too), and that
 * neither crosses workspaces (IDOR: another workspace's ids are 404).
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function handler(route: string, method: string): Promise<Handler> {
  const module = await import(/* @vite-ignore */ path.join(process.cwd(), "app", route, "route.ts"));
  return module[method] as Handler;
}

/** A workspace with one signed-in user of `role`, and that user's caller (as a sign-in cookie proves it). */
async function team(role: Role = "owner") {
  const prisma = await getPrisma();
  const workspace = await prisma.workspace.create({ data: { slug: `t-${randomUUID()}`, name: "A team" } });
  const user = await prisma.user.create({
    data: { id: randomUUID(), name: "Ada", email: `${randomUUID()}@example.com` },
  });
  await prisma.member.create({ data: { workspaceId: workspace.id, userId: user.id, role } });
  const caller: Caller = { workspaceId: workspace.id, userId: user.id, role, scopes: scopesOf(role), via: "cookie" };
  const session = await createSession({
    workspaceId: workspace.id,
    task: "Write fizzbuzz",
    modelId: "offline-demo",
    settings: { maxTurns: 3 },
  });
  return { workspace, user, caller, session };
}

/** Calls a route as `caller` (the cookie is stood in for; tokens go through the real resolution). */
async function as<T = any>(
  caller: Caller | null,
  route: string,
  method: string,
  {
    params = {},
    body,
    headers,
  }: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: T }> {
  const spy = caller ? vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(caller) : null;
  try {
    return await callRoute(await handler(route, method), { method, params, body, headers });
  } finally {
    spy?.mockRestore();
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function share(caller: Caller, sessionId: string, body: object = {}) {
  const { status, json } = await as(caller, "/api/sessions/[id]/shares", "POST", { params: { id: sessionId }, body });
  expect(status).toBe(201);
  return json as { token: string; path: string; link: { id: string; scope: string; leafId: string | null } };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("share links", () => {
  test("open their session's timeline and files without signing in, and nothing else", async () => {
    const a = await team();
    const other = await createSession({
      workspaceId: a.workspace.id,
      task: "Another task",
      modelId: "offline-demo",
      settings: { maxTurns: 3 },
    });
    const { token, path: page } = await share(a.caller, a.session.id);
    expect(token).toMatch(/^ils_[A-Za-z0-9_-]{43}$/);
    expect(page).toBe(`/share/${token}`);
    const prisma = await getPrisma();
    const stored = await prisma.shareLink.findFirstOrThrow({ where: { sessionId: a.session.id } });
    expect(JSON.stringify(stored)).not.toContain(token);

    const viewer = { headers: bearer(token) };
    expect((await as(null, "/api/sessions/[id]", "GET", { params: { id: a.session.id }, ...viewer })).status).toBe(200);
    const files = await as(null, "/api/sessions/[id]/starting-files", "GET", {
      params: { id: a.session.id },
      ...viewer,
    });
    expect(files.status).toBe(200);
    // the same through ?share=, as the shared page's EventSource sends it
    const byQuery = await callRoute(await handler("/api/sessions/[id]", "GET"), {
      path: `/?share=${token}`,
      params: { id: a.session.id },
    });
    expect(byQuery.status).toBe(200);

    for (const [route, id] of [
      ["/api/sessions/[id]", other.id],
      ["/api/sessions/[id]/export", a.session.id],
      ["/api/sessions/[id]/branches", a.session.id],
      ["/api/sessions/[id]/shares", a.session.id],
    ] as const) {
      const { status, json } = await as(null, route, "GET", { params: { id }, ...viewer });
      expect([route, status, json.error.code]).toEqual([route, 404, "not_found:session"]);
    }
    expect((await as(null, "/api/sessions", "GET", viewer)).json.error.code).toBe("forbidden:share");
    const write = await as(null, "/api/sessions/[id]", "PATCH", {
      params: { id: a.session.id },
      body: { title: "x" },
      ...viewer,
    });
    expect(write.status).toBe(404);
    // a made-up token of the right form, or a malformed one, proves nothing
    const forged = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: a.session.id },
      headers: bearer(`ils_${"A".repeat(43)}`),
    });
    expect(forged.json.error.code).toBe("unauthorized:caller");
    expect(
      (await as(null, "/api/sessions/[id]", "GET", { params: { id: a.session.id }, headers: bearer("x") })).status,
    ).toBe(401);
  });

  test("revoking stops the URL at once, ends an open stream with a message; re-minting replaces the URL", async () => {
    const a = await team();
    const { token, link } = await share(a.caller, a.session.id);
    const events = await handler("/api/sessions/[id]/events", "GET");
    const controller = new AbortController();
    const response = await events(new Request(`http://localhost/?share=${token}`, { signal: controller.signal }), {
      params: Promise.resolve({ id: a.session.id }),
    });
    expect(response.status).toBe(200);
    const start = await readStream(response, (text) => text.includes('"type":"snapshot"'));
    expect(start).toContain("Write fizzbuzz");

    const revoked = await as(a.caller, "/api/shares/[shareId]", "DELETE", { params: { shareId: link.id } });
    expect(revoked.json.share.status).toBe("revoked");
    const tail = await readStream(response, (text) => text.includes("<closed>"));
    expect(tail).toContain("event: ended");
    expect(tail).toContain("revoked");
    const after = await as(null, "/api/sessions/[id]", "GET", { params: { id: a.session.id }, headers: bearer(token) });
    expect(after.json.error.code).toBe("unauthorized:caller");
    expect((await as(a.caller, "/api/shares/[shareId]/remint", "POST", { params: { shareId: link.id } })).status).toBe(
      409,
    );

    const second = await share(a.caller, a.session.id, { expiresInDays: 1 });
    const opened = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: a.session.id },
      headers: bearer(second.token),
    });
    expect(opened.status).toBe(200);
    const reminted = await as(a.caller, "/api/shares/[shareId]/remint", "POST", {
      params: { shareId: second.link.id },
    });
    expect(reminted.status).toBe(200);
    expect(reminted.json.token).not.toBe(second.token);
    const old = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: a.session.id },
      headers: bearer(second.token),
    });
    expect(old.status).toBe(401);
    const fresh = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: a.session.id },
      headers: bearer(reminted.json.token),
    });
    expect(fresh.status).toBe(200);
    controller.abort();
  });

  test("an expired link opens nothing", async () => {
    const a = await team();
    const { token, link } = await share(a.caller, a.session.id, { expiresInDays: 1 });
    const prisma = await getPrisma();
    await prisma.shareLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // a token never looked up before: no cached caller stands in for the database
    const { status } = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: a.session.id },
      headers: bearer(token),
    });
    expect(status).toBe(401);
    const listed = await as(a.caller, "/api/shares", "GET");
    expect(listed.json.shares.find((item: { id: string }) => item.id === link.id)?.status).toBe("expired");
  });

  test("a branch link shows the path to its step and what grows after it, not the sibling branches", async () => {
    const a = await team();
    const prisma = await getPrisma();
    const task = a.session.activeLeafId as string;
    const step = (parentId: string, content: string) =>
      prisma.step.create({
        data: { sessionId: a.session.id, parentId, kind: "user", origin: "human", status: "done", content },
      });
    const shared = await step(task, "shared branch");
    const sibling = await step(task, "hidden sibling");
    const { token, link } = await share(a.caller, a.session.id, { scope: "branch", leafId: shared.id });
    expect([link.scope, link.leafId]).toEqual(["branch", shared.id]);
    const later = await step(shared.id, "grew after the link");

    const events = await handler("/api/sessions/[id]/events", "GET");
    const controller = new AbortController();
    const response = await events(new Request(`http://localhost/?share=${token}`, { signal: controller.signal }), {
      params: Promise.resolve({ id: a.session.id }),
    });
    const text = await readStream(response, (read) => read.includes('"type":"snapshot"'));
    controller.abort();
    expect(text).toContain(shared.id);
    expect(text).toContain(later.id);
    expect(text).not.toContain(sibling.id);
    expect(text).not.toContain("hidden sibling");
  });

  test("a branch link's viewer loads steps and branches on demand only within what the link shows", async () => {
    const a = await team();
    const prisma = await getPrisma();
    const task = a.session.activeLeafId as string;
    const step = (parentId: string, content: string) =>
      prisma.step.create({
        data: { sessionId: a.session.id, parentId, kind: "user", origin: "human", status: "done", content },
      });
    const shared = await step(task, "shared branch");
    const sibling = await step(task, "hidden sibling");
    const { token } = await share(a.caller, a.session.id, { scope: "branch", leafId: shared.id });
    const below = [await step(shared.id, "one way on"), await step(shared.id, "another way on")];
    const view = async (route: string, query: string) =>
      callRoute(await handler(route, "GET"), {
        path: `/?${query}`,
        params: { id: a.session.id },
        headers: bearer(token),
        cookie: null,
      });

    const steps = await view("/api/sessions/[id]/steps", `ids=${[task, shared.id, sibling.id].join(",")}`);
    expect(steps.status).toBe(200);
    expect(steps.json.steps.map((found: { id: string }) => found.id).sort()).toEqual([task, shared.id].sort());

    // a step the link doesn't show: the shared branch instead, whose outline knows no sibling
    const hidden = await view("/api/sessions/[id]/branch", `from=${sibling.id}&exact=1`);
    expect(hidden.status).toBe(200);
    expect(hidden.json.branch.path).not.toContain(sibling.id);
    expect(JSON.stringify(hidden.json)).not.toContain("hidden sibling");
    // below the shared step the viewer switches between what grew there
    const first = await view("/api/sessions/[id]/branch", `from=${below[0]?.id}&exact=1`);
    expect(first.json.branch.path).toEqual([task, shared.id, below[0]?.id]);
    expect(first.json.branch.forks[shared.id]).toEqual(below.map((grown) => grown.id));
    expect(first.json.branch.forks[""]).toBeUndefined();
    expect(first.json.branch.branchCount).toBe(2);
  });

  test("IDOR: another workspace's links are 404 to list, revoke and re-mint", async () => {
    const a = await team();
    const b = await team();
    const { token, link } = await share(a.caller, a.session.id);
    expect((await as(b.caller, "/api/shares/[shareId]", "DELETE", { params: { shareId: link.id } })).status).toBe(404);
    expect((await as(b.caller, "/api/shares/[shareId]/remint", "POST", { params: { shareId: link.id } })).status).toBe(
      404,
    );
    const theirs = await as(b.caller, "/api/sessions/[id]/shares", "GET", { params: { id: a.session.id } });
    expect(theirs.json.error.code).toBe("not_found:session");
    const made = await as(b.caller, "/api/sessions/[id]/shares", "POST", { params: { id: a.session.id }, body: {} });
    expect(made.status).toBe(404);
    expect((await as(b.caller, "/api/shares", "GET")).json.shares).toEqual([]);
    expect((await as(a.caller, "/api/shares", "GET")).json.shares.map((item: { id: string }) => item.id)).toEqual([
      link.id,
    ]);
    // still working: B's attempts changed nothing
    expect(
      (await as(null, "/api/sessions/[id]", "GET", { params: { id: a.session.id }, headers: bearer(token) })).status,
    ).toBe(200);
    // a viewer may not share
    const viewer: Caller = { ...a.caller, role: "viewer", scopes: scopesOf("viewer") };
    expect(
      (await as(viewer, "/api/sessions/[id]/shares", "POST", { params: { id: a.session.id }, body: {} })).status,
    ).toBe(403);
  });

  test("Fork to my workspace copies the shared branch into a new session that records where it came from", async () => {
    const a = await team();
    const b = await team("member");
    const prisma = await getPrisma();
    const task = a.session.activeLeafId as string;
    const reply = await prisma.step.create({
      data: { sessionId: a.session.id, parentId: task, kind: "user", origin: "human", status: "done", content: "more" },
    });
    await prisma.step.create({
      data: {
        sessionId: a.session.id,
        parentId: task,
        kind: "user",
        origin: "human",
        status: "done",
        content: "other",
      },
    });
    const { token, link } = await share(a.caller, a.session.id, { scope: "branch", leafId: reply.id });
    const forked = await as(b.caller, "/api/sessions/fork", "POST", { body: { token } });
    expect(forked.status).toBe(201);
    const session = forked.json.session;
    expect(session.forkedFrom).toEqual({ sessionId: a.session.id, stepId: reply.id });
    const row = await prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.workspaceId).toBe(b.workspace.id);
    const steps = await prisma.step.findMany({ where: { sessionId: session.id }, orderBy: { createdAt: "asc" } });
    expect(steps.map((step) => step.content)).toEqual(["Write fizzbuzz", "more"]);
    // a step the link doesn't show can't be forked; nor can a revoked link
    const hidden = await as(b.caller, "/api/sessions/fork", "POST", { body: { token, leafId: "nope" } });
    expect(hidden.status).toBe(404);
    await as(a.caller, "/api/shares/[shareId]", "DELETE", { params: { shareId: link.id } });
    expect((await as(b.caller, "/api/sessions/fork", "POST", { body: { token } })).json.error.code).toBe(
      "not_found:share",
    );
  });
});

describe("last used", () => {
  test("a share link records when it was last opened (stream or page), at most one write a minute", async () => {
    const a = await team();
    const { token, link } = await share(a.caller, a.session.id);
    const listed = async () =>
      (await as(a.caller, "/api/sessions/[id]/shares", "GET", { params: { id: a.session.id } })).json.shares.find(
        (found: { id: string }) => found.id === link.id,
      );
    expect((await listed()).lastUsedAt).toBeNull();

    const prisma = await getPrisma();
    const written = vi.spyOn(prisma.shareLink, "updateMany");
    const events = await handler("/api/sessions/[id]/events", "GET");
    const controller = new AbortController();
    const response = await events(new Request(`http://localhost/?share=${token}`, { signal: controller.signal }), {
      params: Promise.resolve({ id: a.session.id }),
    });
    await readStream(response, (text) => text.includes('"type":"snapshot"'));
    await vi.waitFor(async () => expect((await listed()).lastUsedAt).not.toBeNull());
    const first = (await listed()).lastUsedAt;
    // more requests within the minute: no write, not even a conditional one
    for (let i = 0; i < 3; i++) {
      expect(
        (await as(null, "/api/sessions/[id]", "GET", { params: { id: a.session.id }, headers: bearer(token) })).status,
      ).toBe(200);
    }
    controller.abort();
    expect(written).toHaveBeenCalledTimes(1);
    written.mockRestore();
    expect((await listed()).lastUsedAt).toBe(first);
    const everywhere = (await as(a.caller, "/api/shares", "GET")).json.shares;
    expect(everywhere.find((found: { id: string }) => found.id === link.id).lastUsedAt).toBe(first);
  });

  test("the write is conditional: of several instances in one minute one writes, and again a minute later", async () => {
    const a = await team();
    const { link } = await share(a.caller, a.session.id);
    const created = await as(a.caller, "/api/tokens", "POST", { body: { name: "CI bot" } });
    const t0 = new Date();
    for (const [table, id] of [
      ["shareLink", link.id],
      ["apiToken", created.json.apiToken.id],
    ] as const) {
      const use = (now: Date, workspaceId = a.workspace.id) => recordCredentialUse({ table, id, workspaceId, now });
      expect((await Promise.all([use(t0), use(t0), use(t0)])).filter(Boolean)).toHaveLength(1);
      expect(await use(new Date(t0.getTime() + 59_000))).toBe(false);
      expect(await use(new Date(t0.getTime() + 60_000))).toBe(true);
      // another workspace's id writes nothing
      const b = await team();
      expect(await use(new Date(t0.getTime() + 600_000), b.workspace.id)).toBe(false);
    }
    const prisma = await getPrisma();
    const stamps = [
      (await prisma.shareLink.findUniqueOrThrow({ where: { id: link.id } })).lastUsedAt,
      (await prisma.apiToken.findUniqueOrThrow({ where: { id: created.json.apiToken.id } })).lastUsedAt,
    ];
    expect(stamps.map((stamp) => stamp?.getTime())).toEqual([t0.getTime() + 60_000, t0.getTime() + 60_000]);
  });
});

describe("API tokens", () => {
  async function mint(caller: Caller, body: object = { name: "CI bot" }) {
    return as(caller, "/api/tokens", "POST", { body });
  }

  test("shown once, stored hashed, act for their user in their workspace; revoking stops them at once", async () => {
    const a = await team();
    const created = await mint(a.caller);
    expect(created.status).toBe(201);
    const { token, apiToken } = created.json;
    expect(token).toMatch(/^ilv_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: "CI bot", role: "owner", status: "active", lastUsedAt: null });
    expect(JSON.stringify((await as(a.caller, "/api/tokens", "GET")).json)).not.toContain(token.slice(8));
    const prisma = await getPrisma();
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(JSON.stringify(row)).not.toContain(token);

    const made = await as(null, "/api/sessions", "POST", {
      body: { task: "From CI", modelId: "offline-demo", maxTurns: 3 },
      headers: bearer(token),
    });
    expect(made.status).toBe(201);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: made.json.session.id } })).workspaceId).toBe(
      a.workspace.id,
    );
    await vi.waitFor(async () =>
      expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).lastUsedAt).not.toBeNull(),
    );
    // a token can't mint more tokens
    expect((await as(null, "/api/tokens", "POST", { body: { name: "x" }, headers: bearer(token) })).status).toBe(403);

    await as(a.caller, "/api/tokens/[tokenId]", "DELETE", { params: { tokenId: apiToken.id } });
    const refused = await as(null, "/api/sessions", "GET", { headers: bearer(token) });
    expect(refused.json.error.code).toBe("unauthorized:caller");
  });

  test("at most the owner's role, capped again by their membership on every use", async () => {
    const a = await team("member");
    expect((await mint(a.caller, { name: "too much", role: "admin" })).json.error.code).toBe("forbidden:role");
    const { token } = (await mint(a.caller, { name: "reader", role: "viewer" })).json;
    const write = await as(null, "/api/sessions", "POST", {
      body: { task: "x", modelId: "offline-demo", maxTurns: 3 },
      headers: bearer(token),
    });
    expect(write.json.error.code).toBe("forbidden:scope");
    expect((await as(null, "/api/sessions", "GET", { headers: bearer(token) })).status).toBe(200);

    const { token: full } = (await mint(a.caller, { name: "member" })).json;
    const prisma = await getPrisma();
    await prisma.member.updateMany({ where: { userId: a.user.id }, data: { role: "viewer" } });
    // a token never used before: its first use reads the membership as it is now
    const capped = await as(null, "/api/sessions", "POST", {
      body: { task: "x", modelId: "offline-demo", maxTurns: 3 },
      headers: bearer(full),
    });
    expect(capped.json.error.code).toBe("forbidden:scope");
  });

  test("IDOR: a token sees only its workspace; another user's token ids are 404", async () => {
    const a = await team();
    const b = await team();
    const { token, apiToken } = (await mint(a.caller)).json;
    const theirs = await as(null, "/api/sessions/[id]", "GET", {
      params: { id: b.session.id },
      headers: bearer(token),
    });
    expect(theirs.json.error.code).toBe("not_found:session");
    const listed = await as(null, "/api/sessions", "GET", { headers: bearer(token) });
    expect(listed.json.sessions.map((session: { id: string }) => session.id)).toEqual([a.session.id]);
    expect((await as(b.caller, "/api/tokens/[tokenId]", "DELETE", { params: { tokenId: apiToken.id } })).status).toBe(
      404,
    );
    expect((await as(b.caller, "/api/tokens", "GET")).json.tokens).toEqual([]);
    expect((await as(null, "/api/sessions", "GET", { headers: bearer(token) })).status).toBe(200);
  });

  test("a request with no credential is no caller; a caller that is no person can't make tokens", async () => {
    expect(await callerModule.resolveCaller(new Request("http://localhost/"))).toBeNull();
    const { caller } = await team("owner");
    expect((await mint({ ...caller, userId: null })).json.error.code).toBe("forbidden:token");
  });
});

describe("a member removed from the workspace", () => {
  /** A second person in `a`'s workspace with `role`, as their sign-in cookie proves them, and their member row's id. */
  async function join(workspaceId: string, role: Role) {
    const prisma = await getPrisma();
    const user = await prisma.user.create({
      data: { id: randomUUID(), name: "Bob", email: `${randomUUID()}@example.com` },
    });
    const member = await prisma.member.create({ data: { workspaceId, userId: user.id, role } });
    const caller: Caller = { workspaceId, userId: user.id, role, scopes: scopesOf(role), via: "cookie" };
    return { caller, memberId: member.id };
  }

  test("stops following the workspace's sessions at once: their open stream ends with a message", async () => {
    const a = await team();
    const bob = await join(a.workspace.id, "viewer");
    const events = await handler("/api/sessions/[id]/events", "GET");
    const spy = vi.spyOn(callerModule, "resolveCaller").mockResolvedValue(bob.caller);
    const response = await events(new Request("http://localhost/"), { params: Promise.resolve({ id: a.session.id }) });
    spy.mockRestore();
    expect(response.status).toBe(200);
    await readStream(response, (text) => text.includes('"type":"snapshot"'));

    const removed = await as(a.caller, "/api/workspace/members/[memberId]", "DELETE", {
      params: { memberId: bob.memberId },
    });
    expect(removed.status).toBe(204);
    const tail = await readStream(response, (text) => text.includes("<closed>"));
    expect(tail).toContain("event: ended");
    expect(tail).toContain("no longer a member");
  });

  test("an API token of theirs already in use stops at once, not when its cached caller expires", async () => {
    const a = await team();
    const bob = await join(a.workspace.id, "member");
    const { token } = (await as(bob.caller, "/api/tokens", "POST", { body: { name: "bot" } })).json;
    expect((await as(null, "/api/sessions", "GET", { headers: bearer(token) })).status).toBe(200);
    await as(a.caller, "/api/workspace/members/[memberId]", "DELETE", { params: { memberId: bob.memberId } });
    const refused = await as(null, "/api/sessions", "GET", { headers: bearer(token) });
    expect(refused.json.error?.code).toBe("unauthorized:caller");
  });
});
