"use client";

import { usePathname } from "next/navigation";
import { useState } from "react";
import { showsAppHeader } from "../app/app-header";

/**
 * "Confirm your email" under the header, for a signed-in account whose address is not
 * confirmed yet, where the instance sends mail. Informational: everything works
 * unconfirmed except accepting an invitation addressed to that email. "Send again" mails
 * a new link (POST /api/auth/send-verification-email; a few a minute). It is in the root
 * layout, so in every page's first JavaScript: plain fetch and a plain button, no API
 * client or UI kit.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const pathname = usePathname();
  const [state, setState] = useState<{ kind: "idle" | "busy" | "sent" } | { kind: "error"; message: string }>({
    kind: "idle",
  });
  if (!showsAppHeader(pathname)) return null;

  async function sendAgain() {
    setState({ kind: "busy" });
    const failed = "Could not send it. Please try again in a minute.";
    try {
      const response = await fetch("/api/auth/send-verification-email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, callbackURL: "/verify-email" }),
      });
      if (response.ok) return setState({ kind: "sent" });
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setState({ kind: "error", message: body?.error?.message ?? failed });
    } catch {
      setState({ kind: "error", message: failed });
    }
  }

  return (
    <section
      aria-label="Confirm your email"
      className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-3 gap-y-1 px-4 py-1.5 text-sm">
        <span>
          Confirm your email: open the link we mailed to <strong>{email}</strong>. Until then, invitations sent to it
          can&apos;t be accepted.
        </span>
        {state.kind === "sent" ? (
          <span role="status">Sent. Check your inbox.</span>
        ) : (
          <button
            type="button"
            className="rounded-md px-2 py-0.5 font-medium underline underline-offset-2 hover:bg-amber-100 disabled:opacity-60 dark:hover:bg-amber-900/40"
            disabled={state.kind === "busy"}
            onClick={() => void sendAgain()}
          >
            Send again
          </button>
        )}
        {state.kind === "error" && <span role="alert">{state.message}</span>}
      </div>
    </section>
  );
}
