import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ENV_VARIABLES, EnvError, exitOnBadEnv, parseEnv } from "./env";

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

  test("SANDBOX_NICE: idle by default, or a niceness 0-19", () => {
    expect(parseEnv({}).SANDBOX_NICE).toBe("idle");
    expect(parseEnv({ SANDBOX_NICE: "idle" }).SANDBOX_NICE).toBe("idle");
    expect(parseEnv({ SANDBOX_NICE: "12" }).SANDBOX_NICE).toBe(12);
    expect(parseEnv({ SANDBOX_NICE: "0" }).SANDBOX_NICE).toBe(0);
    expect(() => parseEnv({ SANDBOX_NICE: "20" })).toThrow(/SANDBOX_NICE: must be idle or a whole number from 0 to 19/);
    expect(() => parseEnv({ SANDBOX_NICE: "lowest" })).toThrow(/SANDBOX_NICE: must be idle or a whole number/);
  });

  test("a numeric variable set empty is unset (its default), not 0; spaces around a value are dropped", () => {
    const blank = parseEnv({
      SANDBOX_NICE: "",
      SANDBOX_WARM_WORKERS: " ",
      OFFLINE_DEMO_CHUNK_DELAY_MS: "",
      DATABASE_POOL_MAX: "",
      RUN_STARTS_PER_MINUTE: "",
      SANDBOX_TIME_LIMIT_MS: "",
      PROJECT_MAX_BYTES: "",
    });
    expect(blank.SANDBOX_NICE).toBe("idle");
    expect(blank.SANDBOX_WARM_WORKERS).toBe(2);
    expect(blank.OFFLINE_DEMO_CHUNK_DELAY_MS).toBe(25);
    expect(blank.DATABASE_POOL_MAX).toBe(20);
    expect(blank.RUN_STARTS_PER_MINUTE).toBe(30);
    expect(blank.SANDBOX_TIME_LIMIT_MS).toBe(10_000);
    expect(blank.PROJECT_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(parseEnv({ SANDBOX_NICE: " idle " }).SANDBOX_NICE).toBe("idle");
    expect(parseEnv({ SANDBOX_NICE: " 7 " }).SANDBOX_NICE).toBe(7);
    expect(() => parseEnv({ DATABASE_POOL_MAX: "0" })).toThrow(
      /DATABASE_POOL_MAX: must be a whole number from 2 to 500/,
    );
    expect(() => parseEnv({ DATABASE_POOL_MAX: "-1" })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => parseEnv({ DATABASE_POOL_MAX: "many" })).toThrow(/DATABASE_POOL_MAX/);
  });

  test("DATABASE_POOL_MAX: 20 connections by default, 2 to 500", () => {
    expect(parseEnv({}).DATABASE_POOL_MAX).toBe(20);
    expect(parseEnv({ DATABASE_POOL_MAX: "40" }).DATABASE_POOL_MAX).toBe(40);
    expect(() => parseEnv({ DATABASE_POOL_MAX: "1" })).toThrow(
      /DATABASE_POOL_MAX: must be a whole number from 2 to 500/,
    );
  });

  test("a bad value names the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(EnvError);
    expect(() => parseEnv({ MINIMAX_API: "grpc" })).toThrow(/MINIMAX_API: must be anthropic or openai/);
    expect(() => parseEnv({ MODEL_STALL_TIMEOUT_MS: "soon" })).toThrow(/MODEL_STALL_TIMEOUT_MS/);
  });

  test("SMTP_URL with every Host accepted needs AUTH_URL: mailed links must not follow a request's Host", () => {
    const mail = { SMTP_URL: "smtp://smtp.example.com", MAIL_FROM: "i@example.com" };
    expect(() => parseEnv({ ...mail, ALLOWED_HOSTS: "a.example.com, *" })).toThrow(/AUTH_URL: set it with SMTP_URL/);
    expect(parseEnv({ ...mail, ALLOWED_HOSTS: "*", AUTH_URL: "https://a.example.com" }).AUTH_URL).toBe(
      "https://a.example.com",
    );
    expect(parseEnv({ ...mail, ALLOWED_HOSTS: "a.example.com" }).ALLOWED_HOSTS).toBe("a.example.com");
    expect(parseEnv({ ALLOWED_HOSTS: "*" }).ALLOWED_HOSTS).toBe("*");
  });

  test("SMTP_URL: smtp:// or smtps:// with MAIL_FROM; a bad one names the variable, never its value", () => {
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    const on = parseEnv({
      SMTP_URL: "smtps://ada:s3cret@smtp.example.com:465",
      MAIL_FROM: "Interleave <i@example.com>",
    });
    expect(on.SMTP_URL).toBe("smtps://ada:s3cret@smtp.example.com:465");
    expect(() => parseEnv({ SMTP_URL: "smtp://ada:s3cret@smtp.example.com" })).toThrow(
      /MAIL_FROM: set it with SMTP_URL/,
    );
    let message = "";
    try {
      parseEnv({ SMTP_URL: "https://ada:s3cret@smtp.example.com", MAIL_FROM: "x@example.com" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(message).not.toContain("s3cret");
  });

  test("exitOnBadEnv: a bad value ends the start with code 1 and the variable's name, no stack trace", () => {
    const exits: number[] = [];
    const logged: string[] = [];
    exitOnBadEnv(
      { DATABASE_POOL_MAX: "abc", SANDBOX_NICE: "-1" },
      (code) => exits.push(code),
      (line) => logged.push(line),
    );
    expect(exits).toEqual([1]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("DATABASE_POOL_MAX: must be a whole number from 2 to 500");
    expect(logged[0]).toContain("SANDBOX_NICE: must be idle or a whole number from 0 to 19");
    expect(logged[0]).not.toMatch(/\n\s+at /);
    exitOnBadEnv(
      { DATABASE_POOL_MAX: "40" },
      (code) => exits.push(code),
      (line) => logged.push(line),
    );
    expect(exits).toEqual([1]);
  });
});

describe(".env.example", () => {
  test("documents every variable the app reads (README: every variable is documented there)", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const missing = ENV_VARIABLES.filter((name) => name !== "NODE_ENV" && !documented.has(name));
    expect(missing).toEqual([]);
    expect(ENV_VARIABLES.length).toBeGreaterThan(30);
  });
});
