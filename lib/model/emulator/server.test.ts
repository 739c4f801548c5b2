import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_VARIANTS, type Emulator, startEmulator } from "./index";
import { ANTHROPIC_PATH, AUTH, OPENAI_PATH, parseSse, post, sseJson } from "./test-support";

const request = (stream: boolean, task = "Write FizzBuzz") => ({
  model: "MiniMax-M2",
  stream,
  messages: [{ role: "user", content: task }],
});

describe("control endpoints", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ chunkDelayMs: 0, variants: { openaiDone: false } });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const control = (path: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/${path}`, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("POST /__emulator/fault sets and clears a fault", async () => {
    expect((await control("fault", { type: "http", status: 429, times: 2 })).status).toBe(200);
    expect((await post(emulator.url, OPENAI_PATH, request(false))).status).toBe(429);
    expect((await control("fault", null)).status).toBe(200);
    expect((await post(emulator.url, OPENAI_PATH, request(false))).status).toBe(200);
    expect((await control("fault", { type: "nonsense" })).status).toBe(400);
  });

  it("POST /__emulator/variants merges variants", async () => {
    const res = await control("variants", { openaiFinalFrame: "completion" });
    expect((await res.json()).variants).toEqual({
      ...DEFAULT_VARIANTS,
      openaiDone: false,
      openaiFinalFrame: "completion",
    });
    const chunks = await sseJson(await post(emulator.url, OPENAI_PATH, request(true)));
    expect(chunks.at(-1).object).toBe("chat.completion");
  });

  it("GET /__emulator/requests returns the record; POST /__emulator/reset clears it", async () => {
    await post(emulator.url, ANTHROPIC_PATH, request(false));
    const records = await (await control("requests")).json();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      route: "anthropic",
      path: ANTHROPIC_PATH,
      scenarioId: "fizzbuzz",
      turnIndex: 0,
      prefill: false,
      status: 200,
      fault: null,
      replay: { assistantTurns: 0, ok: true },
    });
    expect(records[0].headers["x-api-key"]).toBe("test-key");
    expect((await control("reset", {})).status).toBe(200);
    expect(await (await control("requests")).json()).toEqual([]);
  });

  it("reset() restores the variants given at start", async () => {
    emulator.setVariants({ openaiDone: true, thinkAsText: true });
    emulator.reset();
    const events = parseSse(await (await post(emulator.url, OPENAI_PATH, request(true))).text());
    expect(events.at(-1)?.data).not.toBe("[DONE]");
    expect(emulator.requests).toHaveLength(1);
  });
});

describe("pacing", () => {
  it("sends wordsPerChunk words every chunkDelayMs", async () => {
    const emulator = await startEmulator({ chunkDelayMs: 20, wordsPerChunk: 1 });
    try {
      const started = performance.now();
      const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, request(true, "FizzBuzz")));
      const elapsed = performance.now() - started;
      const deltas = data.filter((d) => d.type === "content_block_delta" && d.delta.type !== "signature_delta");
      expect(deltas[0].delta.thinking).toBe("The ");
      expect(elapsed).toBeGreaterThanOrEqual(deltas.length * 20 * 0.9);
      expect(elapsed).toBeLessThan(deltas.length * 20 * 2 + 500);
    } finally {
      await emulator.close();
    }
  });
});

describe("close", () => {
  it("ends cleanly while a stream is stalled", async () => {
    const emulator = await startEmulator({ chunkDelayMs: 0 });
    emulator.setFault({ type: "stall", afterChunks: 2 });
    const res = await post(emulator.url, OPENAI_PATH, request(true));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow();
  });
});

describe("cli", () => {
  it("prints its URL and serves until killed", async () => {
    const child = spawn("node_modules/.bin/tsx", ["lib/model/emulator/cli.ts", "--port", "0", "--delay", "0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [url] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/models`, { headers: AUTH });
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
