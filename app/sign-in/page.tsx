import type { Metadata } from "next";
import { AuthForm } from "@/components/account/auth-form";
import { AuthPage } from "@/components/account/auth-page";
import { pageSignedIn } from "@/lib/auth/page-account";
import { safeNext } from "@/lib/auth/paths";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/server";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  const current = await pageSignedIn();
  return (
    <AuthPage
      title="Sign in"
      intro={
        current?.user.guest
          ? "You are using a guest account: signing in moves its sessions to your account."
          : "Sign in with your email and password."
      }
    >
      <AuthForm mode="sign-in" next={next} minPasswordLength={MIN_PASSWORD_LENGTH} forgotPassword={mailEnabled()} />
    </AuthPage>
  );
}
