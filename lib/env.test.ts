import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  test("defaults give the embedded database and the Anthropic route", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe(".data");
    expect(env.MINIMAX_API).toBe("anthropic");
    expect(env.MINIMAX_BASE_URL).toBe("https://api.minimax.io");
    expect(env.MODEL_STALL_TIMEOUT_MS).toBe(60_000);
  });

  test("empty strings count as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", MINIMAX_API_KEY: " " }).DATABASE_URL).toBeUndefined();
  });

  test("a bad value names the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(EnvError);
    expect(() => parseEnv({ MINIMAX_API: "grpc" })).toThrow(/MINIMAX_API: must be anthropic or openai/);
    expect(() => parseEnv({ MODEL_STALL_TIMEOUT_MS: "soon" })).toThrow(/MODEL_STALL_TIMEOUT_MS/);
  });
});
