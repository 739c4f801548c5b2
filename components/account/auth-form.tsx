"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { ApiError, apiFetch } from "@/lib/wire/client";
import { Field } from "./fields";

/**
 * Sign in, or sign up (then sign in: sign-up never does, so it can't tell which emails
 * have accounts). A guest's work stays: signing in or up from a guest session moves its
 * workspace to the account (lib/auth/members.ts moveGuestWork).
 */
export function AuthForm({
  mode,
  next,
  minPasswordLength,
  forgotPassword = false,
}: {
  mode: "sign-in" | "sign-up";
  next: string;
  minPasswordLength: number;
  /** offer "Forgot password?" (sign-in, where the instance sends mail: SMTP_URL) */
  forgotPassword?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      if (mode === "sign-up") {
        const name = String(form.get("name") ?? "").trim() || email.split("@")[0] || "Someone";
        await apiFetch("/api/auth/sign-up/email", { method: "POST", json: { email, password, name } });
      }
      await apiFetch("/api/auth/sign-in/email", { method: "POST", json: { email, password } });
      window.location.assign(next);
    } catch (caught) {
      const message = caught instanceof ApiError ? caught.message : "Something went wrong. Please try again.";
      setError(
        mode === "sign-up" && caught instanceof ApiError && caught.status === 401
          ? "We couldn't sign you in with this email and password. If you already have an account, sign in instead."
          : message,
      );
      setBusy(false);
    }
  }

  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  // method="post": sent before the page's JavaScript runs, a GET form would put the
  // password in the address (history, server logs, Referer)
  return (
    <form
      method="post"
      onSubmit={submit}
      className="space-y-4"
      aria-label={mode === "sign-in" ? "Sign in" : "Create an account"}
    >
      {mode === "sign-up" && <Field label="Name" id="name" autoComplete="name" maxLength={80} />}
      <Field label="Email" id="email" type="email" required autoComplete="email" />
      <Field
        label="Password"
        id="password"
        type="password"
        required
        minLength={mode === "sign-up" ? minPasswordLength : undefined}
        autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
      />
      {forgotPassword && (
        <p className="-mt-2 text-right text-sm">
          <Link href="/forgot-password" className="text-violet-700 hover:underline dark:text-violet-400">
            Forgot password?
          </Link>
        </p>
      )}
      <ErrorMessage message={error} />
      <div className="flex items-center justify-between gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
        <Link
          href={`${other}?next=${encodeURIComponent(next)}`}
          className="text-sm text-violet-700 hover:underline dark:text-violet-400"
        >
          {mode === "sign-in" ? "No account yet? Create one" : "Have an account? Sign in"}
        </Link>
      </div>
    </form>
  );
}
