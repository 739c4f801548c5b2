import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous } from "better-auth/plugins";
import { type Database, getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import { allowedHosts } from "@/lib/http/request-rules";
import { processState } from "@/lib/process-state";
import { moveGuestWork } from "./members";
import { COOKIE_PREFIX } from "./paths";
import { authSecret } from "./secret";

/** The shortest password accepted at sign-up. */
export const MIN_PASSWORD_LENGTH = 8;

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
      // tell which emails exist. The page signs in next (lib/auth/client-flows.ts).
      autoSignIn: false,
    },
    plugins: [anonymous({ generateName: () => "Guest", onLinkAccount: moveGuestWork })],
    rateLimit: {
      enabled: true,
      customRules: {
        "/sign-in/email": { window: 60, max: 10 },
        "/sign-up/email": { window: 60, max: 10 },
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
