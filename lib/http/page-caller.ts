import "server-only";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { type Caller, hasScope, type Scope } from "@/lib/auth/scopes";
import { mayOpenSession, resolveCaller } from "./caller";

/**
 * The caller of a server-rendered page, resolved from its request headers as a route's
 * is (lib/http/caller.ts), holding `scope`. Without such a caller the page is not found
 * (sign-in takes this place once accounts exist).
 */
async function callerOfPage(scope: Scope): Promise<Caller> {
  const caller = await resolveCaller(new Request("http://page.invalid/", { headers: await headers() }));
  if (!caller || !hasScope(caller, scope)) notFound();
  return caller;
}

/** A workspace page's caller (home, suites, comparisons): a share link sees no workspace page. */
export async function workspacePageCaller(scope: Scope): Promise<Caller> {
  const caller = await callerOfPage(scope);
  if (caller.via === "share") notFound();
  return caller;
}

/** A session page's caller: a share link opens its own session only; the query scopes the rest. */
export async function sessionPageCaller(scope: Scope, sessionId: string): Promise<Caller> {
  const caller = await callerOfPage(scope);
  if (!mayOpenSession(caller, sessionId)) notFound();
  return caller;
}
