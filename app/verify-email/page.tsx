import type { Metadata } from "next";
import Link from "next/link";
import { AuthPage } from "@/components/account/auth-page";

export const metadata: Metadata = { title: "Email address", robots: { index: false, follow: false } };

const LINK = "text-violet-700 underline underline-offset-2 dark:text-violet-400";

/**
 * Where a mailed confirmation link lands after better-auth checked it: confirmed, or
 * `?error=` (TOKEN_EXPIRED, INVALID_TOKEN…) with how to get a new link.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  if (error) {
    return (
      <AuthPage title="This confirmation link doesn't work">
        <p className="text-sm">
          It has expired (a link works for 24 hours) or is not whole. Sign in and choose <strong>Send again</strong> in
          the banner at the top for a new one.{" "}
          <Link href="/" className={LINK}>
            Go to your sessions
          </Link>
        </p>
      </AuthPage>
    );
  }
  return (
    <AuthPage title="Email address confirmed">
      <p className="text-sm">
        Thank you: invitations sent to this address can now be accepted with your account.{" "}
        <Link href="/" className={LINK}>
          Go to your sessions
        </Link>
      </p>
    </AuthPage>
  );
}
