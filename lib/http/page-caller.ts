import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { accountFirstPath } from "@/lib/auth/paths";
import { type Caller, hasScope, type Scope } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { mayOpenSession, resolveCaller } from "./caller";

/**
 * The caller of a server-rendered page, resolved from its request headers as a route's
 * is (lib/http/caller.ts), holding `scope`. No caller (a sign-in cookie that expired or
 * was signed out everywhere): a guest account or the sign-in page first (the proxy sends
 * browsers with no cookie there before the page). A caller without the scope: not found.
 */
async function callerOfPage(scope: Scope): Promise<Caller> {
  const caller = await resolveCaller(new Request("http://page.invalid/", { headers: await headers() }));
  if (!caller) redirect(accountFirstPath("/", env().AUTH_GUESTS));
  if (!hasScope(caller, scope)) notFound();
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
