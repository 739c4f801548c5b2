import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stopSessionRuns } from "@/lib/agent/run";
import { switchWorkspace } from "@/lib/auth/members";
import { ROLE_SCOPES, ROLES, type Role, type Scope } from "@/lib/auth/scopes";
import { cookieCaller, signedIn } from "@/lib/auth/session-caller";
import { getPrisma } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import { API_ROUTES, type ApiRoute, type HttpMethod } from "@/lib/http/request-rules";
import { ROUTE_SHAREABLE } from "@/lib/http/route";
import { callRoute } from "../api";
import { guestCookie } from "../auth";

/**
 * The permission matrix, generated: every API route and method (API_ROUTES, which the
 * route corpus test holds equal to the route files) × every kind of caller — each role
 * signed in, no credential, a share-link viewer, an API token — against the status the
 * scope table (ROLE_SCOPES) implies. A new endpoint is in the matrix by being in
 * API_ROUTES; a route checking another scope than its row says fails here.
 *
 * Expected: no credential → 401. A role or token → 403 without the route's scope, else
 * anything but 401/403 (bodies are empty and other ids made up, so most end at 400 or 404, after the check).
 * A token never manages tokens (403). A share viewer → its own session's shareable routes pass, other session routes are 404
 * (as if the session weren't there), workspace routes 403.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

type Principal =
  | { kind: "role"; role: Role; cookie: string }
  | { kind: "anonymous" }
  | { kind: "share"; token: string; sessionId: string }
  | { kind: "token"; role: Role; token: string };

const principals: Principal[] = [];
const sessionIds: string[] = [];
let workspaceId = "";
let ownerCookie = "";

function loadHandler(route: string, method: string): Promise<Handler | undefined> {
  return import(/* @vite-ignore */ path.join(process.cwd(), "app", route, "route.ts")).then(
    (module) => module[method] as Handler | undefined,
  );
}

async function freshSession() {
  const session = await createSession({
    workspaceId,
    task: "Matrix",
    modelId: "offline-demo",
    settings: { maxTurns: 1 },
  });
  sessionIds.push(session.id);
  return session;
}

/** One call as a principal; an event stream is closed as soon as its status is known. */
async function send(entry: ApiRoute, method: HttpMethod, principal: Principal): Promise<number> {
  const handler = await loadHandler(entry.path, method);
  if (!handler) throw new Error(`${entry.path} exports no ${method}`);
  const session = principal.kind === "share" ? { id: principal.sessionId, activeLeafId: null } : await freshSession();
  const params: Record<string, string> = {};
  for (const [, name] of entry.path.matchAll(/\[(\w+)\]/g)) {
    params[name as string] = name === "id" ? session.id : name === "stepId" ? (session.activeLeafId ?? "nope") : "nope";
  }
  const url = `http://localhost${entry.path.replace(/\[(\w+)\]/g, (_all, name: string) => params[name] as string)}`;
  const headers: Record<string, string> = {};
  if (principal.kind === "role") headers.cookie = principal.cookie;
  if (principal.kind === "token" || principal.kind === "share") headers.authorization = `Bearer ${principal.token}`;
  const write = method !== "GET" && method !== "DELETE";
  if (write) headers["content-type"] = "application/json";
  const response = await handler(new Request(url, { method, headers, body: write ? "{}" : undefined }), {
    params: Promise.resolve(params),
  });
  await response.body?.cancel();
  return response.status;
}

type Expectation = { is: number } | { allowed: true } | { refused: true };

function expected(entry: ApiRoute, method: HttpMethod, principal: Principal, sessionRoute: boolean): Expectation {
  const scope = entry.scopes[method] as Scope;
  if (principal.kind === "anonymous") return { is: 401 };
  if (principal.kind === "share") {
    if (!sessionRoute) return { is: 403 };
    return entry.share?.includes(method) ? { allowed: true } : { is: 404 };
  }
  // lib/db/api-tokens.ts: a token never makes or manages tokens, whatever its role (403; a
  // write's empty body may be refused first, 400).
  if (principal.kind === "token" && scope === "tokens:manage") return { refused: true };
  return ROLE_SCOPES[principal.role].includes(scope) ? { allowed: true } : { is: 403 };
}

const label = (principal: Principal) =>
  principal.kind === "role" ? principal.role : principal.kind === "token" ? `token(${principal.role})` : principal.kind;

beforeAll(async () => {
  ownerCookie = await guestCookie();
  const owner = await cookieCaller(new Request("http://localhost/", { headers: { cookie: ownerCookie } }));
  if (!owner) throw new Error("no owner");
  workspaceId = owner.workspaceId;
  principals.push({ kind: "role", role: "owner", cookie: ownerCookie });
  const prisma = await getPrisma();
  for (const role of ROLES.filter((role) => role !== "owner")) {
    const cookie = await guestCookie();
    const browser = await signedIn(new Request("http://localhost/", { headers: { cookie } }));
    if (!browser) throw new Error("no browser");
    await cookieCaller(new Request("http://localhost/", { headers: { cookie } }));
    await prisma.member.create({ data: { workspaceId, userId: browser.user.id, role } });
    await switchWorkspace({ authSessionId: browser.authSessionId, userId: browser.user.id, workspaceId });
    principals.push({ kind: "role", role, cookie });
  }
  principals.push({ kind: "anonymous" });
  for (const role of ["member", "viewer"] as const) {
    const minted = await callRoute(await loadRoute("/api/tokens", "POST"), {
      method: "POST",
      cookie: ownerCookie,
      body: { name: `matrix ${role}`, role },
    });
    expect(minted.status).toBe(201);
    principals.push({ kind: "token", role, token: minted.json.token });
  }
  const shared = await freshSession();
  const share = await callRoute(await loadRoute("/api/sessions/[id]/shares", "POST"), {
    method: "POST",
    cookie: ownerCookie,
    params: { id: shared.id },
    body: { scope: "tree" },
  });
  expect(share.status).toBe(201);
  principals.push({ kind: "share", token: share.json.token, sessionId: shared.id });
}, 120_000);

async function loadRoute(route: string, method: string) {
  const handler = await loadHandler(route, method);
  if (!handler) throw new Error(`${route} ${method}`);
  return handler as Parameters<typeof callRoute>[0];
}

afterAll(async () => {
  for (const id of sessionIds) await stopSessionRuns(id);
});

/** Every scoped route and method; leaving the workspace last, since it changes who is in it. */
const ROWS = API_ROUTES.flatMap((entry) =>
  entry.methods
    .filter((method) => entry.scopes[method] !== "public")
    .map((method) => ({ entry, method, name: `${method} ${entry.path}` })),
).sort((a, b) => Number(a.entry.path === "/api/workspace/leave") - Number(b.entry.path === "/api/workspace/leave"));

describe("the permission matrix, from API_ROUTES × ROLE_SCOPES", () => {
  test("every route method declares its scope", () => {
    for (const entry of API_ROUTES) {
      for (const method of entry.methods) expect(entry.scopes[method], `${method} ${entry.path}`).toBeDefined();
    }
    expect(ROWS.length).toBeGreaterThan(30);
  });

  test.each(ROWS)("$name", async ({ entry, method }) => {
    const handler = await loadHandler(entry.path, method);
    const sessionRoute = Boolean(handler && ROUTE_SHAREABLE in handler);
    const failures: string[] = [];
    for (const principal of principals) {
      const status = await send(entry, method, principal);
      const want = expected(entry, method, principal, sessionRoute);
      // Allowed: past the check. A 404 then means the made-up id in the path (an unknown run, member …).
      const ok =
        "is" in want
          ? status === want.is
          : "refused" in want
            ? status === 403 || status === 400
            : ![401, 403].includes(status) && status < 500;
      if (!ok) failures.push(`${label(principal)}: ${status}, expected ${JSON.stringify(want)}`);
    }
    expect(failures).toEqual([]);
  });
});
