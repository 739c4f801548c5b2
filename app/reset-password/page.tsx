import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuthPage } from "@/components/account/auth-page";
import { ResetPasswordForm } from "@/components/account/password-reset";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/server";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Choose a new password", robots: { index: false, follow: false } };

/**
 * Where a mailed reset link lands (better-auth checked its token and passed it on as
 * `?token=`, or `?error=INVALID_TOKEN` for a used or expired one): the new-password form.
 * Only where the instance sends mail (SMTP_URL), else not found.
 */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; error?: string }>;
}) {
  if (!mailEnabled()) notFound();
  const { token, error } = await searchParams;
  if (error || !token || !/^[A-Za-z0-9_-]{10,200}$/.test(token)) {
    return (
      <AuthPage title="This reset link doesn't work">
        <p className="text-sm">
          It was used already or has expired (a link works once, for 1 hour).{" "}
          <Link href="/forgot-password" className="text-violet-700 underline underline-offset-2 dark:text-violet-400">
            Ask for a new one
          </Link>
          .
        </p>
      </AuthPage>
    );
  }
  return (
    <AuthPage
      title="Choose a new password"
      intro={`At least ${MIN_PASSWORD_LENGTH} characters. Setting it signs you out everywhere.`}
    >
      <ResetPasswordForm token={token} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthPage>
  );
}
