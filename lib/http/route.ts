import "server-only";
import type { z } from "zod";
import { type Caller, hasScope, type Scope } from "@/lib/auth/scopes";
import { getSessionById, sessionNotFound } from "@/lib/db/sessions";
import type { ErrorCode } from "@/lib/wire/errors";
import type { SessionSummary } from "@/lib/wire/sessions";
import { mayOpenSession, resolveCaller } from "./caller";
import { AppError, isAppError } from "./errors";
import {
  findUnstorableText,
  isPlausibleId,
  jsonNestsDeeperThan,
  MAX_JSON_DEPTH,
  quote,
  unstorableTextReason,
} from "./input";
import { isJsonContentType, type RouteScope } from "./request-rules";

/** Marks handlers made by `route()`; the route corpus test checks that every exported handler has it. */
export const ROUTE_HANDLER = Symbol.for("interleave.route");

type Params = Record<string, string | string[] | undefined>;

/**
 * Every id in the URL (a `[param]` segment) must be one of ours before a handler sees it: NUL, lone surrogates,
 * `%` left over from an escape or a 1 MB segment are a 400 naming the parameter (with a
 * short quote of it), never a database error.
 */
export function checkParams(params: Params | undefined): void {
  for (const [name, value] of Object.entries(params ?? {})) {
    // A catch-all segment list (app/api/[...path]) is a path, not an id.
    if (typeof value !== "string" || isPlausibleId(value)) continue;
    throw new AppError(
      "bad_request:id",
      `The ${name} in the address is not a valid id: ${quote(value)}. Ids are letters, digits, "-" and "_".`,
    );
  }
}

/**
 * Query parameters are text a handler may look up or store: a NUL (`%00`) in a name or a
 * value is a 400 naming the parameter. (A lone surrogate can't arrive this way: invalid
 * UTF-8 in a query decodes to U+FFFD.)
 */
export function checkQuery(query: URLSearchParams): void {
  for (const [name, value] of query) {
    const reason = unstorableTextReason(name) ?? unstorableTextReason(value);
    if (!reason) continue;
    throw new AppError("bad_request:query", `The ?${quote(name)} parameter of the address ${reason}.`);
  }
}

/**
 * Wraps a route handler: URL ids and query text are checked first (`checkParams`,
 * `checkQuery`); AppErrors become
 * their JSON response; anything else is logged and answered with a generic 500 (database
 * errors are never echoed to the client).
 */
export function route<Ctx extends { params?: Promise<Params> } | undefined>(
  handler: (request: Request, context: Ctx) => Promise<Response>,
) {
  const wrapped = async (request: Request, context: Ctx): Promise<Response> => {
    try {
      checkParams(context?.params ? await context.params : undefined);
      checkQuery(new URL(request.url).searchParams);
      return await handler(request, context);
    } catch (error) {
      if (isAppError(error)) return error.toResponse();
      console.error(`[${request.method} ${new URL(request.url).pathname}]`, error);
      return new AppError("internal:server", "Something went wrong on our side. Please try again.").toResponse();
    }
  };
  return Object.assign(wrapped, { [ROUTE_HANDLER]: true as const });
}

/** Carries the scope a handler made by the helpers below checks; the route corpus test compares it with API_ROUTES. */
export const ROUTE_SCOPE = Symbol.for("interleave.route-scope");

type RouteContext<P> = { params: Promise<P> };

function withScope<H>(scope: RouteScope, handler: H) {
  return Object.assign(handler as H & object, { [ROUTE_SCOPE]: scope });
}

/** A route anyone may call, without a caller (health checks, metrics scrapers). */
export function publicRoute(handler: (request: Request) => Promise<Response>) {
  return withScope("public", route(handler));
}

/** The caller of a request: 401 `unauthorized:caller` when the request proves no identity. */
async function requireCaller(request: Request): Promise<Caller> {
  const caller = await resolveCaller(request);
  if (!caller) throw new AppError("unauthorized:caller", "Sign in, or send an API token, to use this.");
  return caller;
}

/** 403 `forbidden:scope` unless the caller holds the scope. */
function requireScope(caller: Caller, scope: Scope): void {
  if (hasScope(caller, scope)) return;
  throw new AppError("forbidden:scope", `Your role in this workspace doesn't allow this (it needs ${scope}).`);
}

/**
 * A route acting on the caller's workspace (lists, creating sessions, suite runs): the
 * caller is resolved and must hold `scope` (401/403), then the handler gets it with the
 * URL's params. A share-link caller sees one session, never the workspace: 403.
 */
export function workspaceRoute<P extends Params = Record<string, never>>(
  scope: Scope,
  handler: (request: Request, context: { caller: Caller; params: P }) => Promise<Response>,
) {
  return withScope(
    scope,
    route(async (request: Request, context?: RouteContext<P>) => {
      const caller = await requireCaller(request);
      requireScope(caller, scope);
      if (caller.via === "share") {
        throw new AppError("forbidden:share", "A share link opens its session only, not the rest of the workspace.");
      }
      return handler(request, { caller, params: ((await context?.params) ?? {}) as P });
    }),
  );
}

/** Marks session routes a share link may call (`shareable`); the route corpus test compares it with API_ROUTES `share`. */
export const ROUTE_SHAREABLE = Symbol.for("interleave.route-shareable");

/**
 * A route on one session, `[id]` in its path: the caller is resolved (401), the session
 * is loaded once, scoped to the caller's workspace — an id from another workspace, or
 * another session than a share link's, is 404 `not_found:session`, never 403 — and the
 * caller must hold `scope` (403). The handler gets the caller, the session and the params.
 * A share link reaches only routes marked `shareable` (what its page shows: the session,
 * its live events, its starting files); any other is 404 for it, as if the session were
 * not there, so a branch link never exports or lists the rest of the tree.
 */
export function sessionRoute<P extends { id: string } & Params>(
  scope: Scope,
  handler: (request: Request, context: { caller: Caller; session: SessionSummary; params: P }) => Promise<Response>,
  { shareable = false }: { shareable?: boolean } = {},
) {
  const made = withScope(
    scope,
    route(async (request: Request, context: RouteContext<P>) => {
      const params = await context.params;
      const caller = await requireCaller(request);
      if (!mayOpenSession(caller, params.id) || (caller.via === "share" && !shareable)) throw sessionNotFound();
      const session = await getSessionById({ id: params.id, workspaceId: caller.workspaceId });
      requireScope(caller, scope);
      return handler(request, { caller, session, params });
    }),
  );
  return Object.assign(made, { [ROUTE_SHAREABLE]: shareable });
}

/** The largest JSON body accepted, in bytes (an edit or a saved file is at most 200,000 characters). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  const tooLarge = () =>
    new AppError("payload_too_large:body", `The request body is larger than ${maxBytes / 1024 / 1024} MB.`);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // the client hung up before its body was complete (a tab closed mid-request): its fault, not ours
    const { done, value } = await reader.read().catch(() => {
      throw new AppError("bad_request:body", "The request body ended before it was complete.");
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Parse a JSON body against a schema. A body needs `Content-Type: application/json`
 * (415 otherwise; an empty body without a type reads as `{}`), at most `maxBytes`
 * (default MAX_BODY_BYTES; 413), valid JSON (400 `bad_request:json`), then `parseWith`.
 */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  { maxBytes = MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const type = request.headers.get("content-type");
  if (type !== null && !isJsonContentType(type)) {
    throw new AppError("unsupported_media_type:body", "Send the body as JSON, with Content-Type: application/json.");
  }
  const text = await readText(request, maxBytes);
  if (type === null && text.trim() !== "") {
    throw new AppError("unsupported_media_type:body", "Send the body as JSON, with Content-Type: application/json.");
  }
  if (jsonNestsDeeperThan(text)) {
    throw new AppError("bad_request:json", `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request:json", "The request body is not valid JSON.");
  }
  return parseWith(schema, body);
}

/**
 * Validate a request's fields (from JSON or a form) against a schema: text PostgreSQL
 * can't store (NUL, a lone surrogate; field names too) → 400 `bad_request:text` naming
 * the field; an invalid shape → 400 `bad_request:validation` with a readable message.
 */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const unstorable = findUnstorableText(body);
  if (unstorable) {
    const where = unstorable.path ? `${unstorable.path}: ` : "";
    throw new AppError(
      "bad_request:text",
      `${where}The text ${unstorable.reason}, which can't be saved. Remove that character and try again.`,
    );
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    // Our own messages are sentences that name what is wrong; zod's type errors need the field.
    const field = issue?.code === "invalid_type" && issue.path.length ? `${issue.path.join(".")}: ` : "";
    // A refinement may name its own code (lib/http/input.ts idField: an id that can't be one is `bad_request:id`).
    const own = issue?.code === "custom" ? issue.params?.code : undefined;
    const code =
      typeof own === "string" && own.startsWith("bad_request:") ? (own as ErrorCode) : "bad_request:validation";
    throw new AppError(code, `${field}${issue?.message ?? "invalid request"}`, result.error.issues);
  }
  return result.data;
}
