import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, type Fault, startEmulator } from "./index";
import { ANTHROPIC_PATH, OPENAI_PATH, parseSse, post } from "./test-support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const request = (stream: boolean, task = "Write a sum function") => ({
  model: "MiniMax-M2",
  stream,
  messages: [{ role: "user", content: task }],
});

/** Reads a body until it ends or fails, keeping what arrived. */
async function readAll(res: Response): Promise<{ text: string; error: unknown }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe("http faults", () => {
  it.each([400, 401, 402, 422, 429, 500, 529] as const)("returns %s in the current error envelope", async (status) => {
    emulator.setFault({ type: "http", status });
    const res = await post(emulator.url, ANTHROPIC_PATH, request(true));
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.type).toBe("error");
    expect(body.error.http_code).toBe(String(status));
    expect(body.error.message).toMatch(/\(\d+\)$/);
    expect(emulator.requests[0]?.fault).toEqual({ type: "http", status });
  });

  it("maps statuses to MiniMax's error types", async () => {
    const types: Record<number, string> = {
      401: "authorized_error",
      402: "insufficient_balance_error",
      422: "unprocessable_entity_error",
      429: "rate_limit_error",
      500: "server_error",
      529: "overloaded_error",
    };
    for (const [status, type] of Object.entries(types)) {
      emulator.setFault({ type: "http", status: Number(status) as 429 });
      const body = await (await post(emulator.url, OPENAI_PATH, request(false))).json();
      expect(body.error.type).toBe(type);
    }
  });

  it("applies to `times` requests, then clears itself", async () => {
    emulator.setFault({ type: "http", status: 429, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(emulator.url, OPENAI_PATH, request(false))).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it("is not used up by a request that fails validation", async () => {
    emulator.setFault({ type: "http", status: 500 });
    const noAuth = { "content-type": "application/json" };
    expect((await post(emulator.url, OPENAI_PATH, request(false), noAuth)).status).toBe(401);
    expect((await post(emulator.url, OPENAI_PATH, request(false))).status).toBe(500);
  });
});

describe("base_resp fault", () => {
  it("answers HTTP 200 with a non-zero base_resp", async () => {
    emulator.setFault({ type: "base_resp", code: 1004 });
    const res = await post(emulator.url, OPENAI_PATH, request(false));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      base_resp: { status_code: 1004, status_msg: expect.stringMatching(/^login fail/) },
    });
  });

  it("sends it as the only event of a stream", async () => {
    emulator.setFault({ type: "base_resp", code: 1027, message: "output new_sensitive" });
    const res = await post(emulator.url, ANTHROPIC_PATH, request(true));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => JSON.parse(e.data))).toEqual([
      { base_resp: { status_code: 1027, status_msg: "output new_sensitive" } },
    ]);
  });
});

describe.each([
  ["anthropic", ANTHROPIC_PATH],
  ["openai", OPENAI_PATH],
])("stream faults on the %s route", (_route, path) => {
  it("drop: destroys the socket after N events", async () => {
    emulator.setFault({ type: "drop", afterChunks: 5 });
    const res = await post(emulator.url, path, request(true));
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res);
    expect(error).toBeInstanceOf(Error);
    expect(parseSse(text)).toHaveLength(5);
  });

  it("stall with ms: pauses, then finishes the stream intact", async () => {
    const intact = parseSse(await (await post(emulator.url, path, request(true))).text());
    emulator.setFault({ type: "stall", afterChunks: 3, ms: 300 });
    const started = performance.now();
    const stalled = parseSse(await (await post(emulator.url, path, request(true))).text());
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(stalled.length).toBe(intact.length);
  });

  it("stall without ms: sends nothing more until the client gives up", async () => {
    emulator.setFault({ type: "stall", afterChunks: 3 });
    const res = await post(emulator.url, path, request(true), undefined, AbortSignal.timeout(300));
    const { text, error } = await readAll(res);
    expect((error as Error).name).toBe("TimeoutError");
    expect(parseSse(text)).toHaveLength(3);
  });

  it("malformed: one invalid data line, the rest intact", async () => {
    emulator.setFault({ type: "malformed", afterChunks: 4 });
    const events = parseSse(await (await post(emulator.url, path, request(true))).text());
    const invalid = events.filter((e) => {
      if (e.data === "[DONE]") return false;
      try {
        JSON.parse(e.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid).toHaveLength(1);
    expect(events.indexOf(invalid[0] as (typeof events)[number])).toBe(4);
    emulator.reset();
    const intact = parseSse(await (await post(emulator.url, path, request(true))).text());
    expect(events.length).toBe(intact.length + 1);
  });
});

describe("non-streaming stream faults", () => {
  it("drop: the connection closes without a response", async () => {
    emulator.setFault({ type: "drop", afterChunks: 0 });
    await expect(post(emulator.url, ANTHROPIC_PATH, request(false))).rejects.toThrow();
    expect(emulator.requests[0]?.status).toBe(0);
  });

  it("malformed: a truncated JSON body", async () => {
    emulator.setFault({ type: "malformed", afterChunks: 0 });
    const res = await post(emulator.url, OPENAI_PATH, request(false));
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("stall with ms: answers late", async () => {
    emulator.setFault({ type: "stall", afterChunks: 0, ms: 200 });
    const started = performance.now();
    const res = await post(emulator.url, OPENAI_PATH, request(false));
    expect((await res.json()).choices).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("fault markers in the first user message", () => {
  it("apply to every request of the conversation, so a retry fails again", async () => {
    const body = request(false, "Write a sum function [emulator:fault=503]");
    expect((await post(emulator.url, OPENAI_PATH, body)).status).toBe(503);
    expect((await post(emulator.url, OPENAI_PATH, body)).status).toBe(503);
    expect((await post(emulator.url, OPENAI_PATH, request(false))).status).toBe(200);
  });

  it.each<[string, Fault]>([
    ["drop@5", { type: "drop", afterChunks: 5 }],
    ["stall@3", { type: "stall", afterChunks: 3 }],
    ["stall@3:50", { type: "stall", afterChunks: 3, ms: 50 }],
    ["malformed@4", { type: "malformed", afterChunks: 4 }],
    ["base_resp:1004", { type: "base_resp", code: 1004 }],
    ["429", { type: "http", status: 429 }],
  ])("parses %s", async (spec, fault) => {
    const task = `Write a sum function [emulator:fault=${spec}]`;
    // The stall without ms never answers: the client gives up after 300 ms.
    await post(emulator.url, OPENAI_PATH, request(false, task), undefined, AbortSignal.timeout(300)).catch(() => {});
    expect(emulator.requests.at(-1)?.fault).toEqual(fault);
  });

  it("drop@5 cuts every streamed attempt", async () => {
    const body = request(true, "Write a sum function [emulator:fault=drop@5]");
    for (let attempt = 0; attempt < 2; attempt++) {
      const { text, error } = await readAll(await post(emulator.url, ANTHROPIC_PATH, body));
      expect(error).toBeInstanceOf(Error);
      expect(parseSse(text)).toHaveLength(5);
    }
  });
});
