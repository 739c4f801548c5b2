import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as exportRoute from "@/app/api/sessions/[id]/export/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { stopSessionRuns } from "@/lib/agent/run";
import { API_ROUTES, HTTP_METHODS } from "@/lib/http/request-rules";
import { ROUTE_HANDLER, ROUTE_SCOPE, ROUTE_SHAREABLE } from "@/lib/http/route";
import { isErrorBody } from "@/lib/wire/errors";
import { callRoute } from "../api";
import { asTestUser } from "../auth";

/**
 * Walks every API route file with a generated corpus of bad input — NUL, lone
 * surrogates, megabyte strings, wrong types, broken JSON, bad ids, leftover %-escapes,
 * wrong content types — and fails on any 5xx, any body that is not JSON in the
 * documented error shape, or an error that echoes the input back. A new route file fails
 * here until it has a corpus entry (its body fields and a valid body to vary).
 */

const APP_API = path.join(process.cwd(), "app/api");

/** app/api/sessions/[id]/route.ts → /api/sessions/[id] */
function routeFiles(): string[] {
  return readdirSync(APP_API, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => `/api/${path.dirname(file).split(path.sep).join("/")}`.replace(/\/\.$/, ""))
    .sort();
}

/** The module of a route, by its /api path (a computed import, as Next.js loads it). */
function loadRoute(route: string): Promise<unknown> {
  return import(/* @vite-ignore */ path.join(process.cwd(), "app", route, "route.ts"));
}

type Fixture = { sessionId: string; taskStepId: string };

type Body = Record<string, unknown>;

/**
 * Per route: a valid JSON body to start from (given a fresh session), a valid multipart
 * form where the route takes uploads, the query parameters it reads, and which of those
 * body fields and query parameters hold an id (`ids`): a bad value there (none of the
 * corpus's can be an id) is a 400, never a 404 from looking it up.
 */
const CORPUS: Record<
  string,
  {
    body?: (fixture: Fixture) => Body | Promise<Body>;
    form?: (fixture: Fixture) => Body;
    query?: string[];
    ids?: string[];
  }
> = {
  "/api/[...path]": {},
  "/api/auth/[...all]": {},
  "/api/auth/guest": { query: ["next"] },
  "/api/account": {},
  "/api/approvals": {},
  "/api/account/workspace": { body: () => ({ workspaceId: "nope" }), ids: ["workspaceId"] },
  "/api/invitations/accept": { body: () => ({ token: "x".repeat(43) }) },
  "/api/workspace": { body: () => ({ name: "Team" }) },
  "/api/workspace/invitations": { body: () => ({ role: "member", email: "a@example.com" }) },
  "/api/workspace/invitations/[invitationId]": {},
  "/api/workspace/invitations/[invitationId]/resend": {},
  // Leaving last: the corpus user is the workspace's only owner, so it is refused (409), as it should be.
  "/api/workspace/leave": {},
  "/api/workspace/members": {},
  "/api/workspace/members/[memberId]": { body: () => ({ role: "member" }) },
  "/api/workspaces": { body: () => ({ name: "Team" }) },
  "/api/comparisons": {
    body: () => ({ task: "Write fizzbuzz", modelIds: ["offline-demo", "MiniMax-M2"], maxTurns: 3 }),
  },
  "/api/comparisons/[id]": {},
  "/api/health": {},
  "/api/metrics": {},
  "/api/reviews": {},
  "/api/runs/[runId]": {},
  "/api/runs/[runId]/cancel": {},
  "/api/sessions": {
    body: () => ({ task: "Write fizzbuzz", modelId: "offline-demo", maxTurns: 3 }),
    form: () => ({
      task: "Write fizzbuzz",
      modelId: "offline-demo",
      maxTurns: "3",
      path: "src/a.ts",
      file: "export {}",
    }),
  },
  "/api/sessions/fork": {
    body: ({ taskStepId }) => ({ token: `ils_${"a".repeat(43)}`, leafId: taskStepId }),
    ids: ["leafId"],
  },
  "/api/sessions/import": { body: exportOf },
  "/api/sessions/[id]": {
    body: ({ taskStepId }) => ({ title: "A title", maxTurns: 5, activeLeafId: taskStepId }),
    ids: ["activeLeafId"],
  },
  "/api/sessions/[id]/branch": { query: ["from", "exact"], ids: ["from"] },
  "/api/sessions/[id]/branches": {},
  "/api/sessions/[id]/comments": {
    body: ({ taskStepId }) => ({ stepId: taskStepId, body: "Looks right" }),
    ids: ["stepId"],
  },
  "/api/sessions/[id]/comments/[commentId]/send": {},
  "/api/sessions/[id]/comments/[commentId]": { body: () => ({ resolved: true }) },
  "/api/sessions/[id]/download": { query: ["step"], ids: ["step"] },
  "/api/sessions/[id]/events": { query: ["after", "leaf", "viewer"], ids: ["leaf"] },
  "/api/sessions/[id]/export": { query: ["format", "step"], ids: ["step"] },
  "/api/sessions/[id]/files": {
    body: ({ taskStepId }) => ({ afterStepId: taskStepId, path: "src/a.ts", content: "export {}" }),
    ids: ["afterStepId"],
  },
  "/api/sessions/[id]/patch": { query: ["step", "download"], ids: ["step"] },
  "/api/sessions/[id]/presence": {
    body: ({ taskStepId }) => ({ viewerId: "7d3f2c1e-5b6a-4c8d-9e0f-1a2b3c4d5e6f", stepId: taskStepId }),
    ids: ["viewerId", "stepId"],
  },
  "/api/sessions/[id]/reviews": {
    query: ["leaf"],
    body: ({ taskStepId }) => ({ leafId: taskStepId, verdict: "approved", summary: "Looks right" }),
    ids: ["leaf", "leafId"],
  },
  "/api/sessions/[id]/runs": { body: ({ taskStepId }) => ({ fromStepId: taskStepId }), ids: ["fromStepId"] },
  "/api/sessions/[id]/shares": {
    body: ({ taskStepId }) => ({ scope: "branch", leafId: taskStepId, expiresInDays: 7 }),
    ids: ["leafId"],
  },
  "/api/sessions/[id]/starting-files": {},
  "/api/sessions/[id]/starting-files/content": { query: ["path"] },
  "/api/sessions/[id]/steps": { query: ["ids"], ids: ["ids"] },
  "/api/sessions/[id]/steps/[stepId]/approval": {
    body: () => ({ decision: "approve", content: "export {}", comment: "Looks right" }),
  },
  "/api/sessions/[id]/steps/[stepId]/edit": { body: () => ({ content: "A better task" }) },
  // An unknown model keeps the corpus from starting real suite runs; everything before it is checked.
  "/api/suite-runs": {
    body: () => ({
      suite: {
        name: "corpus",
        tasks: [{ id: "t1", language: "python", prompt: "Write add", tests: { "test_a.py": "assert True" } }],
      },
      modelIds: ["no-such-model"],
      concurrency: 1,
    }),
  },
  "/api/suite-runs/[id]": {},
  "/api/suite-runs/[id]/cancel": {},
  "/api/suites": {},
  "/api/shares": {},
  "/api/shares/[shareId]": {},
  "/api/shares/[shareId]/remint": {},
  "/api/tokens": { body: () => ({ name: "CI bot", role: "member", expiresInDays: 30 }) },
  "/api/tokens/[tokenId]": {},
  "/api/sessions/[id]/test-runs": {
    body: ({ taskStepId }) => ({ afterStepId: taskStepId, paths: ["test_a.py"] }),
    ids: ["afterStepId"],
  },
};

/** The fixture session as its JSON export: a valid import body whose nested fields the corpus varies too. */
async function exportOf({ sessionId }: Fixture): Promise<Body> {
  const { json } = await callRoute(exportRoute.GET, { params: { id: sessionId } });
  return json;
}

const MEGABYTE = "m".repeat(1_000_000);
const BAD_STRINGS = [
  "",
  "   ",
  "\u0000",
  "before\u0000after",
  "\ud800",
  "x\udfffy",
  MEGABYTE,
  "%ZZ",
  "%00",
  "../../../etc/passwd",
  "<img src=x onerror=alert(1)>",
  "😀".repeat(10),
];
const BAD_VALUES: unknown[] = [...BAD_STRINGS, 0, -1, 1.5, 1e308, true, null, [], ["a"], {}, { nested: "\u0000" }];
const RAW_BODIES: (string | Uint8Array<ArrayBuffer>)[] = [
  "{",
  "null",
  "[]",
  '"text"',
  "1",
  "true",
  '{"__proto__":{"polluted":1}}',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
  "x".repeat(3 * 1024 * 1024),
  // 10 KB nested 5,000 deep: the walk over parsed bodies overflowed the stack (a 500)
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`,
];
const BAD_IDS = BAD_STRINGS.filter((value) => value !== "").concat(["nope", "x".repeat(65)]);

type Case = {
  label: string;
  params: Record<string, string | string[]>;
  query?: string;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  contentType?: string | null;
  /** the bad value is in a field or query parameter holding an id (CORPUS `ids`): never a 404 */
  holdsId?: boolean;
};

/** A multipart form from fields; `file` becomes a file part (the others text parts). */
function formOf(fields: Body): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (name === "file") form.append("file", new Blob([String(value)]), "upload");
    else form.append(name, String(value));
  }
  return form;
}

function paramNames(route: string): string[] {
  return [...route.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((match) => match[1] as string);
}

async function casesFor(route: string, method: string, fixture: Fixture): Promise<Case[]> {
  const names = paramNames(route);
  const valid: Record<string, string | string[]> = {};
  for (const name of names) {
    valid[name] = name === "path" ? ["nope", "deeper"] : name === "stepId" ? fixture.taskStepId : fixture.sessionId;
  }
  const entry = CORPUS[route] ?? {};
  const base = entry.body && method !== "GET" && method !== "DELETE" ? await entry.body(fixture) : undefined;
  const json = (value: unknown) => JSON.stringify(value);
  const cases: Case[] = [{ label: "valid", params: valid, body: base && json(base) }];
  for (const name of names.filter((n) => n !== "path")) {
    for (const bad of BAD_IDS)
      cases.push({ label: `param ${name}=${bad.slice(0, 20)}`, params: { ...valid, [name]: bad } });
  }
  for (const name of entry.query ?? []) {
    for (const bad of BAD_STRINGS) {
      cases.push({
        label: `query ${name}`,
        params: valid,
        query: `?${name}=${encodeURIComponent(bad.toWellFormed())}`,
        holdsId: entry.ids?.includes(name),
      });
    }
  }
  if (method === "GET" || method === "DELETE") return cases;
  for (const raw of RAW_BODIES) cases.push({ label: `raw body ${String(raw).slice(0, 20)}`, params: valid, body: raw });
  const sample = json(base ?? {});
  for (const contentType of [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    null,
  ]) {
    cases.push({ label: `content-type ${contentType}`, params: valid, body: sample, contentType });
  }
  for (const [field, mutate] of fieldMutations(base ?? { anything: 1 })) {
    for (const bad of BAD_VALUES) {
      cases.push({
        label: `${field}=${json(bad)?.slice(0, 20)}`,
        params: valid,
        body: json(mutate(bad)),
        // null is no id at all, which a field may allow (presence's stepId: no step selected)
        holdsId: bad !== null && entry.ids?.includes(field),
      });
    }
  }
  if (base) cases.push({ label: "no fields", params: valid, body: "{}" });
  const form = entry.form?.(fixture);
  if (form) {
    cases.push({ label: "form valid", params: valid, body: formOf(form), contentType: null });
    for (const field of Object.keys(form)) {
      for (const bad of BAD_STRINGS) {
        cases.push({
          label: `form ${field}=${json(bad).slice(0, 20)}`,
          params: valid,
          body: formOf({ ...form, [field]: bad }),
          contentType: null,
        });
      }
    }
    const nulLate = `${"x".repeat(9_000)}\u0000`;
    cases.push({
      label: "form file with a late NUL",
      params: valid,
      body: formOf({ ...form, file: nulLate }),
      contentType: null,
    });
  }
  return cases;
}

/**
 * Every field of a body to vary, with a function putting a bad value in its place: the
 * top-level fields, and one level into nested objects and the first item of arrays (an
 * import's session, steps and starting files).
 */
function fieldMutations(base: Body): [string, (bad: unknown) => Body][] {
  const mutations: [string, (bad: unknown) => Body][] = [];
  for (const [key, value] of Object.entries(base)) {
    mutations.push([key, (bad) => ({ ...base, [key]: bad })]);
    const inner = Array.isArray(value) ? value[0] : value;
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) continue;
    for (const innerKey of Object.keys(inner)) {
      const replace = (bad: unknown) => ({ ...(inner as Body), [innerKey]: bad });
      mutations.push([
        `${key}.${innerKey}`,
        (bad) => ({ ...base, [key]: Array.isArray(value) ? [replace(bad), ...value.slice(1)] : replace(bad) }),
      ]);
    }
  }
  return mutations;
}

function isCatchAll(route: string) {
  return route.includes("[...");
}

async function send(handler: Handler, route: string, method: string, item: Case) {
  const pathname = route.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_all, name: string) => {
    const value = item.params[name];
    return Array.isArray(value)
      ? value.map((part) => encodeURIComponent(part.toWellFormed())).join("/")
      : encodeURIComponent(String(value).toWellFormed());
  });
  const headers: Record<string, string> = {};
  // A FormData body sets its own multipart type, with the boundary.
  const contentType = item.contentType === undefined ? "application/json" : item.contentType;
  if (item.body !== undefined && contentType !== null) headers["content-type"] = contentType;
  const request = await asTestUser(
    new Request(`http://localhost${pathname}${item.query ?? ""}`, {
      method,
      headers,
      body: item.body,
    }),
  );
  const response = await handler(request, { params: Promise.resolve(item.params) });
  return response;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

async function newFixture(): Promise<Fixture> {
  const { json } = await callRoute(sessionsRoute.POST, { method: "POST", body: { task: "Corpus fixture" } });
  return { sessionId: json.session.id, taskStepId: json.session.activeLeafId };
}

const fixtures: Fixture[] = [];

beforeAll(() => {
  delete process.env.MINIMAX_API_KEY;
});

afterAll(async () => {
  for (const fixture of fixtures) await stopSessionRuns(fixture.sessionId);
});

describe("every API route", () => {
  test("has a corpus entry, an entry in the proxy's route table, and only route()-wrapped handlers declaring the table's scope", async () => {
    const files = routeFiles();
    expect(files).toEqual(Object.keys(CORPUS).sort());
    const table = Object.fromEntries(API_ROUTES.map((entry) => [entry.path, [...entry.methods].sort()]));
    const scopes = Object.fromEntries(API_ROUTES.map((entry) => [entry.path, entry.scopes]));
    const shareable = Object.fromEntries(API_ROUTES.map((entry) => [entry.path, entry.share]));
    for (const file of files.filter((file) => !isCatchAll(file))) {
      const module = (await loadRoute(file)) as Record<string, unknown>;
      const exported = HTTP_METHODS.filter((method) => method in module);
      expect(exported.sort(), `methods of ${file} vs API_ROUTES`).toEqual(table[file]);
      expect(Object.keys(scopes[file] ?? {}).sort(), `scopes of ${file} in API_ROUTES`).toEqual(exported);
      for (const method of exported) {
        const handler = module[method] as Record<symbol, unknown>;
        expect(handler[ROUTE_HANDLER], `${file} ${method} uses route()`).toBe(true);
        // Made by publicRoute, workspaceRoute or sessionRoute with the scope the table gives it.
        expect(handler[ROUTE_SCOPE], `${file} ${method} declares its scope`).toBe(scopes[file]?.[method]);
        // Share links reach exactly the routes the table lets them (sessionRoute's `shareable`).
        expect(handler[ROUTE_SHAREABLE] === true, `${file} ${method} is shareable as API_ROUTES says`).toBe(
          shareable[file]?.includes(method) ?? false,
        );
      }
    }
    expect(Object.keys(table).sort()).toEqual(files.filter((file) => !isCatchAll(file)));
  });

  test.each(routeFiles())(
    "%s: bad input never gives a 5xx or a body that is not the JSON error shape",
    async (route) => {
      const module = (await loadRoute(route)) as Record<string, Handler>;
      const methods = HTTP_METHODS.filter((method) => typeof module[method] === "function");
      // Deleting last, so the other methods still find the fixture session.
      methods.sort((a, b) => Number(a === "DELETE") - Number(b === "DELETE"));
      const failures: string[] = [];
      for (const method of methods) {
        const fixture = await newFixture();
        fixtures.push(fixture);
        for (const item of await casesFor(route, method, fixture)) {
          const response = await send(module[method] as Handler, route, method, item);
          const where = `${method} ${route} [${item.label}] → ${response.status}`;
          if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
            await response.body?.cancel();
            if (response.status !== 200) failures.push(`${where}: an event stream with an error status`);
            continue;
          }
          const text = await response.text();
          if (response.status >= 500) failures.push(`${where}: ${text.slice(0, 200)}`);
          // what can't be an id is the request's fault, found before anything is looked up
          if (item.holdsId && response.status === 404) failures.push(`${where}: an id that can't be one looked up`);
          // Successes may be files (a zip, a patch, Markdown); every error must be the JSON shape.
          if (response.status < 400) continue;
          if (!response.headers.get("content-type")?.startsWith("application/json")) {
            failures.push(`${where}: content-type ${response.headers.get("content-type")}`);
            continue;
          }
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            failures.push(`${where}: not JSON: ${text.slice(0, 100)}`);
            continue;
          }
          if (!isErrorBody(body)) failures.push(`${where}: not the error shape: ${text.slice(0, 200)}`);
          else if (body.error.message.length > 300) {
            failures.push(`${where}: message of ${body.error.message.length} chars`);
          }
          if (text.length > 5_000)
            failures.push(`${where}: an error body of ${text.length} characters echoes the input`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
