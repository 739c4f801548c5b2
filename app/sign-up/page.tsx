import type { Metadata } from "next";
import { AuthForm } from "@/components/account/auth-form";
import { AuthPage } from "@/components/account/auth-page";
import { pageSignedIn } from "@/lib/auth/page-account";
import { safeNext } from "@/lib/auth/paths";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/server";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Create an account" };

/** Sign-up, and for a guest the claim: the same form, and its workspace and sessions become the account's. */
export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  const guest = (await pageSignedIn())?.user.guest ?? false;
  const confirm = mailEnabled() ? " We'll mail you a link to confirm your address." : "";
  return (
    <AuthPage
      title={guest ? "Keep your work" : "Create an account"}
      intro={
        guest
          ? `Add an email and password to this guest account. Every session you made stays yours, and you can sign in from anywhere.${confirm}`
          : `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.${confirm}`
      }
    >
      <AuthForm mode="sign-up" next={next} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthPage>
  );
}
