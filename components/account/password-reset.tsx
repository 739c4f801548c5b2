"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { ApiError, apiFetch } from "@/lib/wire/client";
import { Field } from "./fields";

const LINK = "text-violet-700 underline underline-offset-2 dark:text-violet-400";

const messageOf = (caught: unknown) =>
  caught instanceof ApiError ? caught.message : "Something went wrong. Please try again.";

/**
 * "Forgot password?": asks better-auth to mail a reset link (POST
 * /api/auth/request-password-reset). The answer is the same whether or not the address
 * has an account, so the page says the same too.
 */
export function ForgotPasswordForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/auth/request-password-reset", {
        method: "POST",
        json: { email, redirectTo: "/reset-password" },
      });
      setSentTo(email);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  if (sentTo) {
    return (
      <p role="status" className="text-sm">
        If <strong>{sentTo}</strong> has an account, a link to choose a new password is on its way. It works once, for 1
        hour.{" "}
        <Link href="/sign-in" className={LINK}>
          Back to sign in
        </Link>
      </p>
    );
  }
  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Reset your password">
      <Field label="Email" id="email" type="email" required autoComplete="email" />
      <ErrorMessage message={error} />
      <div className="flex items-center justify-between gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          Send reset link
        </Button>
        <Link href="/sign-in" className="text-sm text-violet-700 hover:underline dark:text-violet-400">
          Back to sign in
        </Link>
      </div>
    </form>
  );
}

/**
 * A new password for the reset link's `token` (POST /api/auth/reset-password); afterwards
 * every browser of the account is signed out, this one included, so it offers to sign in.
 */
export function ResetPasswordForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("password") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setError("The two passwords are not the same.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/auth/reset-password", { method: "POST", json: { newPassword, token } });
      setDone(true);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  }

  if (done) {
    return (
      <p role="status" className="text-sm">
        Your password is changed, and every browser that was signed in is signed out.{" "}
        <Link href="/sign-in" className={LINK}>
          Sign in
        </Link>{" "}
        with the new one.
      </p>
    );
  }
  // method="post": sent before the page's JavaScript runs, a GET form would put the new
  // password in the address (history, server logs, Referer)
  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Choose a new password">
      <Field
        label="New password"
        id="password"
        type="password"
        required
        minLength={minPasswordLength}
        autoComplete="new-password"
      />
      <Field
        label="New password, again"
        id="confirm"
        type="password"
        required
        minLength={minPasswordLength}
        autoComplete="new-password"
      />
      <ErrorMessage message={error} />
      <Button type="submit" variant="primary" disabled={busy}>
        Set new password
      </Button>
    </form>
  );
}
