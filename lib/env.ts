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

const schema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: optionalString.default(".data"),
  MINIMAX_API_KEY: optionalString,
  MINIMAX_BASE_URL: optionalString
    .pipe(z.url("must be a URL such as https://api.minimax.io").optional())
    .default("https://api.minimax.io"),
  MINIMAX_API: z.enum(["anthropic", "openai"], "must be anthropic or openai").default("anthropic"),
  MINIMAX_MODEL: optionalString.default("MiniMax-M2"),
  MODEL_STALL_TIMEOUT_MS: z.coerce.number("must be a number of milliseconds").int().positive().default(60_000),
  OFFLINE_DEMO_CHUNK_DELAY_MS: z.coerce.number("must be a number of milliseconds").int().min(0).default(25),
  SANDBOX_TIME_LIMIT_MS: z.coerce
    .number("must be a number of milliseconds")
    .int()
    .min(100)
    .max(600_000)
    .default(10_000),
  SANDBOX_MEMORY_MB: z.coerce.number("must be a number of MiB").int().min(32).max(4096).default(256),
  SANDBOX_OUTPUT_LIMIT_KB: z.coerce.number("must be a number of KiB").int().min(1).max(65_536).default(1024),
  SANDBOX_WARM_WORKERS: z.coerce.number("must be a whole number").int().min(0).max(32).default(2),
  PROJECT_MAX_BYTES: z.coerce
    .number("must be a number of bytes")
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  PROJECT_MAX_FILES: z.coerce.number("must be a whole number").int().min(1).max(100_000).default(2000),
  SANDBOX_MAX_RUNNING: optionalString.pipe(
    z.coerce.number<string | undefined>("must be a whole number").int().min(1).max(64).optional(),
  ),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

/** Validate a raw environment; throws EnvError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Invalid environment configuration (see .env.example):\n${lines.join("\n")}`);
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
