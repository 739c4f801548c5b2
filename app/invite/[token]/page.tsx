import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitation } from "@/components/account/accept-invitation";
import { AuthPage } from "@/components/account/auth-page";
import { describeInvitation } from "@/lib/auth/members";
import { pageSignedIn } from "@/lib/auth/page-account";
import { env } from "@/lib/env";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// Underlined: "Sign in" sits in a sentence, where colour alone would not mark it as a link (WCAG 1.4.1).
const LINK = "text-violet-700 underline underline-offset-2 dark:text-violet-400";

/** An invitation link: which workspace and role it offers, and joining it (signing in or up first, or as a guest). */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await describeInvitation(token) : null;
  if (!invitation) {
    return (
      <AuthPage title="This invitation doesn't work">
        <p className="text-sm">It was used, revoked or has expired. Ask whoever sent it for a new link.</p>
      </AuthPage>
    );
  }
  const label = `Join ${invitation.workspaceName} as ${invitation.role}`;
  const current = await pageSignedIn();
  const back = encodeURIComponent(`/invite/${token}`);
  return (
    <AuthPage
      title={`Join ${invitation.workspaceName}`}
      intro={
        invitation.email && mailEnabled()
          ? `You are invited as ${invitation.role}, at ${invitation.email}: accept it signed in with that address, once confirmed.`
          : `You are invited as ${invitation.role}.`
      }
    >
      {current ? (
        <AcceptInvitation token={token} label={label} />
      ) : (
        <ul className="space-y-2 text-sm">
          <li>
            <Link className={LINK} href={`/sign-in?next=${back}`}>
              Sign in
            </Link>{" "}
            to join with your account
          </li>
          <li>
            <Link className={LINK} href={`/sign-up?next=${back}`}>
              Create an account
            </Link>
          </li>
          {env().AUTH_GUESTS && (
            <li>
              <a className={LINK} href={`/api/auth/guest?next=${back}`}>
                Continue as a guest
              </a>
            </li>
          )}
        </ul>
      )}
    </AuthPage>
  );
}
