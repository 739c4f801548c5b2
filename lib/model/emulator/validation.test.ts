import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./index";
import { ANTHROPIC_PATH, AUTH, OPENAI_PATH, post } from "./test-support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const valid = { model: "MiniMax-M2", messages: [{ role: "user", content: "hi" }] };

async function expectError(res: Response, status: number, type: string, message: string | RegExp) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(["type", "error", "request_id"]);
  expect(body.type).toBe("error");
  expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
  expect(body.error).toEqual({ type, message: expect.stringMatching(message), http_code: String(status) });
}

describe.each([ANTHROPIC_PATH, OPENAI_PATH])("%s", (path) => {
  it("rejects a request without credentials with 401 authorized_error (1004)", async () => {
    const res = await post(emulator.url, path, valid, { "content-type": "application/json" });
    await expectError(res, 401, "authorized_error", /^login fail: .* \(1004\)$/);
  });

  it("accepts x-api-key or Authorization: Bearer", async () => {
    expect((await post(emulator.url, path, valid)).status).toBe(200);
    const bearer = { "content-type": "application/json", authorization: "Bearer k" };
    expect((await post(emulator.url, path, valid, bearer)).status).toBe(200);
  });

  it.each([0, -0.5, 1.01, "1"])("rejects temperature %s", async (temperature) => {
    const res = await post(emulator.url, path, { ...valid, temperature });
    await expectError(res, 400, "bad_request_error", /^invalid params, temperature .*\(2013\)$/);
  });

  it("accepts temperature 1 and 0.01", async () => {
    expect((await post(emulator.url, path, { ...valid, temperature: 1 })).status).toBe(200);
    expect((await post(emulator.url, path, { ...valid, temperature: 0.01 })).status).toBe(200);
  });

  it("rejects n other than 1", async () => {
    await expectError(
      await post(emulator.url, path, { ...valid, n: 2 }),
      400,
      "bad_request_error",
      /n must be 1 \(2013\)$/,
    );
    expect((await post(emulator.url, path, { ...valid, n: 1 })).status).toBe(200);
  });

  it("rejects a missing model, missing messages, or a body that is not JSON", async () => {
    await expectError(await post(emulator.url, path, { messages: valid.messages }), 400, "bad_request_error", /model/);
    await expectError(await post(emulator.url, path, { model: "MiniMax-M2" }), 400, "bad_request_error", /messages/);
    await expectError(
      await post(emulator.url, path, { model: "MiniMax-M2", messages: [] }),
      400,
      "bad_request_error",
      /messages/,
    );
    await expectError(await post(emulator.url, path, "{nope"), 400, "bad_request_error", /JSON/);
  });

  it("records rejected requests too", async () => {
    await post(emulator.url, path, { ...valid, n: 3 });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]?.status).toBe(400);
  });
});

describe("OpenAI route", () => {
  it("rejects a replayed tool call whose arguments are not JSON, naming the call", async () => {
    const messages = [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: "<think>\nx\n</think>\n\n\n",
        tool_calls: [
          { id: "call_function_123_1", type: "function", function: { name: "read_file", arguments: '{"path":' } },
        ],
      },
      { role: "tool", tool_call_id: "call_function_123_1", content: "..." },
    ];
    const res = await post(emulator.url, OPENAI_PATH, { model: "MiniMax-M2", messages });
    await expectError(
      res,
      400,
      "bad_request_error",
      /^invalid params, invalid function arguments json string, tool_call_id: call_function_123_1 \(2013\)$/,
    );
  });
});

describe("other paths", () => {
  it("lists models behind auth", async () => {
    const res = await fetch(`${emulator.url}/v1/models`, { headers: AUTH });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe("list");
    expect(body.data.map((m: { id: string }) => m.id)).toContain("MiniMax-M2");
    expect((await fetch(`${emulator.url}/v1/models`)).status).toBe(401);
  });

  it("answers unknown paths with 404 in the error envelope", async () => {
    const res = await post(emulator.url, "/v1/messages", valid);
    expect(res.status).toBe(404);
    expect((await res.json()).error.http_code).toBe("404");
  });
});
