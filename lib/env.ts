import { z } from "zod";

/**
 * The only reader of process.env. Parsed once, on first use, so `next build` does not
 * need a configured environment; a bad value fails fast with the variable's name.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/**
 * A provider's model list: comma-separated ids, each optionally with its price in USD per
 * million tokens as `id=input/output` (e.g. `gpt-4o=2.5/10,o4-mini`). Unset stays undefined.
 */
const modelList = z
  .string()
  .transform((raw, ctx) => {
    const entries = raw
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map(parseModelEntry);
    const bad = entries.find((entry) => typeof entry === "string");
    if (typeof bad === "string") {
      ctx.addIssue({ code: "custom", message: bad });
      return z.NEVER;
    }
    return entries as ModelListEntry[];
  })
  .optional();

/** One entry of a provider's model list; prices in USD per million tokens, when given. */
export interface ModelListEntry {
  id: string;
  input?: number;
  output?: number;
}

function parseModelEntry(entry: string): ModelListEntry | string {
  const [id, price] = entry.split("=", 2).map((part) => part.trim());
  if (!id) return `"${entry}" has no model id`;
  if (price === undefined) return { id };
  const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(price);
  if (!match) return `"${entry}": write the price as id=input/output in USD per million tokens, e.g. gpt-4o=2.5/10`;
  return { id, input: Number(match[1]), output: Number(match[2]) };
}

/**
 * A numeric variable (SANDBOX_NICE too) as it is set: spaces around it dropped, and empty is
 * unset, as for every other variable (`SANDBOX_NICE=` in .env, or docker-compose's
 * `${SANDBOX_NICE}` of an unset shell variable), so the default applies. z.coerce.number
 * alone reads "" as 0: SANDBOX_NICE= ran untrusted code at the app's own priority and
 * SANDBOX_WARM_WORKERS= kept no warm worker, silently.
 */
function setNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema);
}

/** SANDBOX_NICE's one message, whichever part of it is wrong. */
const NICE_ERROR = "must be idle or a whole number from 0 to 19";

const schema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  /**
   * Connections to DATABASE_URL one instance holds at most (its pool; the run queue's 3 are
   * extra). Every query waits for one, so a burst of run starts queues here first.
   */
  DATABASE_POOL_MAX: setNumber(
    z.coerce.number("must be a whole number from 2 to 500").int().min(2).max(500).default(20),
  ),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
  ),
  DATA_DIR: optionalString.default(".data"),
  MINIMAX_API_KEY: optionalString,
  MINIMAX_BASE_URL: optionalString
    .pipe(z.url("must be a URL such as https://api.minimax.io").optional())
    .default("https://api.minimax.io"),
  MINIMAX_API: z.enum(["anthropic", "openai"], "must be anthropic or openai").default("anthropic"),
  MINIMAX_MODEL: optionalString.default("MiniMax-M2"),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString
    .pipe(z.url("must be a URL such as https://api.openai.com/v1").optional())
    .default("https://api.openai.com/v1"),
  OPENAI_MODELS: optionalString.pipe(modelList),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString
    .pipe(z.url("must be a URL such as https://api.anthropic.com/v1").optional())
    .default("https://api.anthropic.com/v1"),
  ANTHROPIC_MODELS: optionalString.pipe(modelList),
  OPENAI_COMPATIBLE_BASE_URL: optionalString.pipe(z.url("must be a URL such as http://127.0.0.1:8000/v1").optional()),
  OPENAI_COMPATIBLE_API_KEY: optionalString,
  OPENAI_COMPATIBLE_MODELS: optionalString.pipe(modelList),
  OPENAI_COMPATIBLE_NAME: optionalString.default("OpenAI-compatible"),
  MODEL_STALL_TIMEOUT_MS: setNumber(
    z.coerce.number("must be a number of milliseconds").int().positive().default(60_000),
  ),
  /** PostgreSQL schema of the durable run queue's tables (pg-boss; lib/agent/run-queue.ts). */
  RUN_QUEUE_SCHEMA: optionalString
    .pipe(
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,49}$/, "must be a PostgreSQL schema name: lower-case letters, digits and _")
        .optional(),
    )
    .default("pgboss"),
  RUN_LEASE_MS: setNumber(
    z.coerce.number("must be a number of milliseconds").int().min(1000).max(600_000).default(20_000),
  ),
  OFFLINE_DEMO_CHUNK_DELAY_MS: setNumber(z.coerce.number("must be a number of milliseconds").int().min(0).default(25)),
  SANDBOX_TIME_LIMIT_MS: setNumber(
    z.coerce.number("must be a number of milliseconds").int().min(100).max(600_000).default(10_000),
  ),
  SANDBOX_MEMORY_MB: setNumber(z.coerce.number("must be a number of MiB").int().min(32).max(4096).default(256)),
  SANDBOX_OUTPUT_LIMIT_KB: setNumber(z.coerce.number("must be a number of KiB").int().min(1).max(65_536).default(1024)),
  SANDBOX_WARM_WORKERS: setNumber(z.coerce.number("must be a whole number").int().min(0).max(32).default(2)),
  /**
   * CPU priority of the sandbox host process, all its threads (Linux): "idle" (SCHED_IDLE over
   * niceness 19; lib/sandbox/types.ts SandboxPriority) or a niceness 0–19, higher letting the
   * app's streams win a contested core.
   */
  SANDBOX_NICE: setNumber(
    z
      .union([z.literal("idle"), z.coerce.number(NICE_ERROR).int(NICE_ERROR).min(0, NICE_ERROR).max(19, NICE_ERROR)], {
        error: NICE_ERROR,
      })
      .default("idle"),
  ),
  PROJECT_MAX_BYTES: setNumber(
    z.coerce
      .number("must be a number of bytes")
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(20 * 1024 * 1024),
  ),
  PROJECT_MAX_FILES: setNumber(z.coerce.number("must be a whole number").int().min(1).max(100_000).default(2000)),
  /** The address `npm start` listens on (package.json passes it to `next start -H`); a specific one is also an allowed Host. */
  HOST: optionalString.default("127.0.0.1"),
  /** Host names the app answers to (comma-separated, `*` for any); unset: localhost, 127.0.0.1, [::1]. */
  ALLOWED_HOSTS: optionalString,
  /** Set by Next.js: development relaxes the Content-Security-Policy for React's dev tooling. */
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /**
   * Signs sign-in cookies (better-auth), at least 32 characters. Unset: generated once and kept in
   * DATA_DIR/auth-secret (lib/auth/secret.ts); instances on different machines need the same one.
   */
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  /** The address people open the app at (https://interleave.example.com); unset: the request's own Host. */
  AUTH_URL: optionalString.pipe(z.url("must be a URL such as https://interleave.example.com").optional()),
  /** Whether a first visit gets a guest account without a form ("false": sign up or sign in first). */
  AUTH_GUESTS: z
    .enum(["true", "false"], "must be true or false")
    .default("true")
    .transform((v) => v === "true"),
  /** Runs one user may start per minute, across workspaces; more get a 429 with Retry-After. */
  RUN_STARTS_PER_MINUTE: setNumber(z.coerce.number("must be a whole number").int().min(1).max(10_000).default(30)),
  /**
   * Guest accounts one client address (lib/http/client-address.ts) may make per minute; more
   * get a 429 with Retry-After.
   */
  GUEST_ACCOUNTS_PER_MINUTE: setNumber(z.coerce.number("must be a whole number").int().min(1).max(10_000).default(20)),
  SANDBOX_MAX_RUNNING: optionalString.pipe(
    z.coerce.number<string | undefined>("must be a whole number").int().min(1).max(64).optional(),
  ),
  /**
   * The mail server (lib/mail/send.ts): `smtp://` (STARTTLS when offered) or `smtps://`
   * (TLS from the start), with its user and password, e.g.
   * smtps://user:password@smtp.example.com:465. Unset: no mail is sent; invitations are
   * links to copy and there is no email verification or password reset. A secret: never
   * logged, returned or quoted in an error (this message names the variable only).
   */
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .refine(isSmtpUrl, "must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465")
      .optional(),
  ),
  /** The From of every mail, e.g. `Interleave <interleave@example.com>`; required with SMTP_URL. */
  MAIL_FROM: optionalString.pipe(z.string().max(320, "keep it under 320 characters").optional()),
});

/** Whether `value` parses as an smtp:// or smtps:// URL with a host (pure; the value is never echoed). */
export function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const checkedSchema = schema.superRefine((parsed, ctx) => {
  if (parsed.SMTP_URL && !parsed.MAIL_FROM) {
    ctx.addIssue({
      code: "custom",
      path: ["MAIL_FROM"],
      message: "set it with SMTP_URL: the From of every mail, e.g. Interleave <interleave@example.com>",
    });
  }
  // Links in mails start with the request's Host when AUTH_URL is unset (lib/mail/links.ts):
  // with every Host accepted, anyone could ask for a password reset of someone else's
  // account with their own Host and receive the victim's click on the mailed token.
  if (parsed.SMTP_URL && !parsed.AUTH_URL && parsed.ALLOWED_HOSTS?.split(",").some((entry) => entry.trim() === "*")) {
    ctx.addIssue({
      code: "custom",
      path: ["AUTH_URL"],
      message:
        "set it with SMTP_URL and ALLOWED_HOSTS=*: links in mails would otherwise start with whatever Host a request names",
    });
  }
});

export type Env = z.infer<typeof schema>;

/**
 * The names of every variable parseEnv reads, in schema order. .env.example documents each
 * one but NODE_ENV, which `next build`/`next start` set themselves (lib/env.test.ts checks it).
 */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export class EnvError extends Error {}

/** Validate a raw environment; throws EnvError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = checkedSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Invalid environment configuration (see .env.example):\n${lines.join("\n")}`);
}

/**
 * The server's start (instrumentation.ts): a bad environment ends the process at once with
 * exit code 1 and the message of parseEnv (each bad variable and what it must be, no stack
 * trace). Checked lazily, it left a server that said "Ready", logged a stack trace, and
 * answered every request, the health check included, with a bare 500. Other errors propagate.
 */
export function exitOnBadEnv(
  raw: Record<string, string | undefined> = process.env,
  exit: (code: number) => void = (code) => process.exit(code),
  log: (message: string) => void = (message) => console.error(message),
): void {
  try {
    parseEnv(raw);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    log(error.message);
    exit(1);
  }
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
