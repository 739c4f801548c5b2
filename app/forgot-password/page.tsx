import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthPage } from "@/components/account/auth-page";
import { ForgotPasswordForm } from "@/components/account/password-reset";
import { mailEnabled } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Forgot password" };

/** Asks for a password reset link by mail; only where the instance sends mail (SMTP_URL), else not found. */
export default function ForgotPasswordPage() {
  if (!mailEnabled()) notFound();
  return (
    <AuthPage
      title="Forgot your password?"
      intro="Enter your account's email: we'll mail you a link to choose a new one."
    >
      <ForgotPasswordForm />
    </AuthPage>
  );
}
