import { pageSignedIn } from "@/lib/auth/page-account";
import { mailEnabled } from "@/lib/mail/send";
import { VerifyEmailBanner } from "./verify-email-banner";

/**
 * The "Confirm your email" banner when it applies: mail is on (SMTP_URL) and the page's
 * signed-in account — not a guest — has an unconfirmed address. Without mail it reads nothing.
 */
export async function VerifyEmailNotice() {
  if (!mailEnabled()) return null;
  const me = await pageSignedIn();
  if (!me || me.user.guest || me.user.emailVerified) return null;
  return <VerifyEmailBanner email={me.user.email} />;
}
