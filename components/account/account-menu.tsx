"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { AccountView } from "@/lib/wire/accounts";
import { apiFetch } from "@/lib/wire/client";
import { AccountPlaceholder } from "./account-placeholder";

const NEW_WORKSPACE = "__new__";

/**
 * The header's right side: the workspace switcher and the account menu (settings, keep a
 * guest's work, sign out, sign out everywhere). It asks better-auth for the session first,
 * which renews the sign-in cookie when it is due; without an account it offers sign-in.
 */
export function AccountMenu() {
  const [account, setAccount] = useState<AccountView | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    (async () => {
      await fetch("/api/auth/get-session").catch(() => undefined);
      const view = await apiFetch<AccountView>("/api/account").catch(() => null);
      if (live) setAccount(view);
    })();
    return () => {
      live = false;
    };
  }, []);

  if (account === undefined) return <AccountPlaceholder />;
  if (account === null || !account.user) {
    return (
      <div className="ml-auto">
        <Link href="/sign-in" className="text-sm text-violet-700 hover:underline dark:text-violet-400">
          Sign in
        </Link>
      </div>
    );
  }

  async function switchTo(workspaceId: string) {
    if (workspaceId === NEW_WORKSPACE) {
      const name = window.prompt("Name of the new workspace");
      if (!name?.trim()) return;
      await apiFetch("/api/workspaces", { method: "POST", json: { name: name.trim() } });
    } else {
      await apiFetch("/api/account/workspace", { method: "POST", json: { workspaceId } });
    }
    window.location.assign("/");
  }

  async function signOut(everywhere: boolean) {
    if (everywhere) await apiFetch("/api/auth/revoke-sessions", { method: "POST", json: {} });
    else await apiFetch("/api/auth/sign-out", { method: "POST", json: {} });
    window.location.assign("/sign-in");
  }

  const { user } = account;
  return (
    <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
      <label className="sr-only" htmlFor="workspace-switcher">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        value={account.workspace.id}
        onChange={(event) => void switchTo(event.target.value)}
        className="min-w-0 max-w-64 truncate rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {account.workspaces.map((workspace) => (
          <option key={workspace.workspaceId} value={workspace.workspaceId}>
            {workspace.name} ({workspace.role})
          </option>
        ))}
        <option value={NEW_WORKSPACE}>New workspace…</option>
      </select>
      <details className="relative">
        <summary className="cursor-pointer list-none whitespace-nowrap rounded-md px-2 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          {user.guest ? "Guest" : user.name}
          <span aria-hidden> ▾</span>
        </summary>
        {/* Any choice in the menu closes it (the layout stays mounted across pages). */}
        <div
          onClickCapture={(event) => event.currentTarget.closest("details")?.removeAttribute("open")}
          className="absolute right-0 z-30 mt-1 w-64 space-y-1 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          {user.guest ? (
            <p className="px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400">
              You are using a guest account. Create an account to keep your sessions and use them anywhere.
            </p>
          ) : (
            <p className="truncate px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400">{user.email}</p>
          )}
          {user.guest && (
            <>
              <Link
                href="/sign-up"
                className="block rounded px-2 py-1 font-medium text-violet-700 hover:bg-zinc-100 dark:text-violet-400 dark:hover:bg-zinc-800"
              >
                Keep your work: create an account
              </Link>
              <Link href="/sign-in" className="block rounded px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
                Sign in to an account
              </Link>
            </>
          )}
          <Link href="/settings" className="block rounded px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Workspace settings
          </Link>
          {!user.guest && (
            <>
              <button
                type="button"
                onClick={() => void signOut(false)}
                className="block w-full rounded px-2 py-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
              >
                Sign out
              </button>
              <button
                type="button"
                onClick={() => void signOut(true)}
                className="block w-full rounded px-2 py-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
              >
                Sign out everywhere
              </button>
            </>
          )}
        </div>
      </details>
    </div>
  );
}
