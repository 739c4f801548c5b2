import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous } from "better-auth/plugins";
import { type Database, getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import { allowedHosts } from "@/lib/http/request-rules";
import { landingOn } from "@/lib/mail/links";
import { resetPasswordMail, verificationMail } from "@/lib/mail/messages";
import { mailEnabled, sendInBackground } from "@/lib/mail/send";
import { processState } from "@/lib/process-state";
import { moveGuestWork } from "./members";
import { COOKIE_PREFIX } from "./paths";
import { authSecret } from "./secret";

/** The shortest password accepted at sign-up. */
export const MIN_PASSWORD_LENGTH = 8;

/** How long a mailed email-verification link works, in seconds. */
const VERIFICATION_SECONDS = 24 * 3600;

/**
 * With SMTP_URL: better-auth's email verification (a link mailed at sign-up, and again on
 * request) and password reset (a link mailed on request; a reset signs the account out
 * everywhere). The mails go out without the reply waiting for them (lib/mail/send.ts), so
 * neither endpoint takes longer for an address that has an account. Verification never
 * blocks signing in — a guest claiming its work signs up then signs in as before — it
 * unlocks accepting invitations addressed to that email (lib/auth/members.ts). Without
 * SMTP_URL: none of it (better-auth answers 400 on those endpoints).
 */
function mailOptions() {
  if (!mailEnabled()) return { emailVerification: undefined, passwordReset: {} };
  return {
    emailVerification: {
      sendOnSignUp: true,
      expiresIn: VERIFICATION_SECONDS,
      sendVerificationEmail: async ({ user, url }: { user: { email: string; name: string }; url: string }) =>
        sendInBackground(
          "email verification",
          user.email,
          verificationMail({ name: user.name, link: landingOn(url, "/verify-email") }),
        ),
    },
    passwordReset: {
      sendResetPassword: async ({ user, url }: { user: { email: string; name: string }; url: string }) =>
        sendInBackground(
          "password reset",
          user.email,
          resetPasswordMail({ name: user.name, link: landingOn(url, "/reset-password") }),
        ),
      revokeSessionsOnPasswordReset: true,
    },
  };
}

/**
 * better-auth's base URL: AUTH_URL, or each request's own Host when it is one the app
 * answers to (ALLOWED_HOSTS, any port; the proxy has refused other Hosts already).
 */
function baseURL() {
  const { AUTH_URL, ALLOWED_HOSTS, HOST } = env();
  if (AUTH_URL) return AUTH_URL;
  const hosts = allowedHosts({ allowed: ALLOWED_HOSTS, listenHost: HOST });
  return {
    allowedHosts: hosts.any ? ["*"] : [...hosts.hostnames].flatMap((name) => [name, `${name}:*`]),
    protocol: "auto" as const,
  };
}

async function createAuth(db: Database) {
  const { AUTH_SECRET, AUTH_URL, DATA_DIR } = env();
  const mail = mailOptions();
  return betterAuth({
    appName: "Interleave",
    secret: await authSecret({ configured: AUTH_SECRET, dataDir: DATA_DIR }),
    baseURL: baseURL(),
    basePath: "/api/auth",
    database: prismaAdapter(db.authPrisma, { provider: "postgresql" }),
    telemetry: { enabled: false },
    // Errors only: its info lines name the email of a sign-up for an existing account.
    logger: { level: "error" },
    session: {
      modelName: "authSession",
      additionalFields: { activeWorkspaceId: { type: "string", required: false, input: false } },
    },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      // Sign-up never signs in: for an email that has an account it answers exactly as
      // for a new one (same shape, a password hashed for the same time), so it doesn't
      // tell which emails exist. The page signs in next (components/account/auth-form.tsx).
      autoSignIn: false,
      ...mail.passwordReset,
    },
    emailVerification: mail.emailVerification,
    plugins: [anonymous({ generateName: () => "Guest", onLinkAccount: moveGuestWork })],
    rateLimit: {
      enabled: true,
      customRules: {
        "/sign-in/email": { window: 60, max: 10 },
        "/sign-up/email": { window: 60, max: 10 },
        // each sends a mail: a few a minute per client address, so nobody floods an inbox
        "/send-verification-email": { window: 60, max: 3 },
        "/request-password-reset": { window: 60, max: 3 },
      },
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: AUTH_URL?.startsWith("https://") ?? false,
    },
  });
}

/** The better-auth instance of this process. */
export type Auth = Awaited<ReturnType<typeof createAuth>>;

/** The process-wide better-auth instance, made on first use over the app's database. */
export function getAuth(): Promise<Auth> {
  const state = processState();
  state.auth ??= getDatabase()
    .then(createAuth)
    .catch((error: unknown) => {
      state.auth = undefined;
      throw error;
    });
  return state.auth;
}
