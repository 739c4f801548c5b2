// biome-ignore-all lint/suspicious/noExplicitAny: tests reach into wire JSON
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, SCENARIOS, startEmulator } from "./index";
import { OPENAI_PATH, parseSse, post, sseJson } from "./test-support";

const FIZZ = SCENARIOS.find((s) => s.id === "fizzbuzz");
const [TURN1, , TURN3] = FIZZ?.turns ?? [];
if (!TURN1 || !TURN3) throw new Error("the fizzbuzz scenario has three turns");

const HEX32 = /^[0-9a-f]{32}$/;
const SPEAKER = { role: "assistant", name: "MiniMax AI", audio_content: "" };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const task = { role: "user", content: "Write FizzBuzz" };
const request = (stream: boolean, extra: object = {}) => ({ model: "MiniMax-M2", stream, messages: [task], ...extra });
/** Two assistant turns already replayed: the emulator serves the third, a text answer. */
const lastTurn = (stream: boolean, extra: object = {}) => ({
  model: "MiniMax-M2",
  stream,
  messages: [
    task,
    { role: "assistant", content: "<think>\na\n</think>\n\n" },
    { role: "user", content: "next" },
    { role: "assistant", content: "<think>\nb\n</think>\n\n" },
    { role: "user", content: "next" },
  ],
  ...extra,
});

const contentOf = (chunks: any[]) => chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");

describe("non-streaming", () => {
  it("keeps <think> in content, and the tool calls beside it", async () => {
    const body = await (await post(emulator.url, OPENAI_PATH, request(false))).json();
    expect(Object.keys(body)).toEqual([
      "id",
      "choices",
      "created",
      "model",
      "object",
      "usage",
      "input_sensitive",
      "output_sensitive",
      "base_resp",
    ]);
    expect(body.id).toMatch(HEX32);
    expect(body.object).toBe("chat.completion");
    expect(body.base_resp).toEqual({ status_code: 0, status_msg: "" });
    const choice = body.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message).toMatchObject(SPEAKER);
    expect(choice.message.content).toBe(`<think>\n${TURN1.thinking}\n</think>\n\n${TURN1.text}\n`);
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_function_\d+_1$/),
        type: "function",
        function: { name: "list_files", arguments: "{}" },
      },
    ]);
    expect(body.usage).toEqual({
      total_tokens: body.usage.prompt_tokens + body.usage.completion_tokens,
      total_characters: 0,
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
      completion_tokens_details: { reasoning_tokens: Math.ceil(TURN1.thinking.length / 4) },
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("moves reasoning to reasoning_details with reasoning_split", async () => {
    const body = await (await post(emulator.url, OPENAI_PATH, lastTurn(false, { reasoning_split: true }))).json();
    const message = body.choices[0].message;
    expect(message.content).toBe(TURN3.text);
    expect(message.reasoning_details).toEqual([
      { type: "reasoning.text", id: "reasoning-text-1", format: "MiniMax-response-v1", index: 0, text: TURN3.thinking },
    ]);
    expect(body.choices[0].finish_reason).toBe("stop");
  });
});

describe("streaming", () => {
  it("streams chat.completion.chunk frames with the repeated speaker fields and a usage chunk", async () => {
    const res = await post(emulator.url, OPENAI_PATH, request(true));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const final = chunks.pop();
    const id = chunks[0].id;
    expect(id).toMatch(HEX32);

    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual(["id", "choices", "created", "model", "object", "usage"]);
      expect(chunk).toMatchObject({ id, model: "MiniMax-M2", object: "chat.completion.chunk", usage: null });
      expect(chunk.choices[0].delta).toMatchObject(SPEAKER);
    }
    expect(chunks[0].choices[0].delta.content).toBe("<think>\nThe person ");
    expect(contentOf(chunks)).toBe(`<think>\n${TURN1.thinking}\n</think>\n\n${TURN1.text}\n`);

    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_function_\d+_1$/),
      type: "function",
      function: { name: "list_files", arguments: "{" },
    });
    expect(calls.map((c: any) => c.function.arguments).join("")).toBe("{}");
    expect(chunks.filter((c) => c.choices[0].finish_reason)).toHaveLength(1);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("tool_calls");

    expect(final).toMatchObject({
      id,
      choices: [],
      object: "chat.completion.chunk",
      base_resp: { status_code: 0, status_msg: "" },
    });
    expect(final.usage.completion_tokens_details.reasoning_tokens).toBe(Math.ceil(TURN1.thinking.length / 4));
  });

  it("ends a tool-only turn's content with </think> and three newlines", async () => {
    const body = { model: "MiniMax-M2", stream: true, messages: [{ role: "user", content: "Write a sum function" }] };
    const chunks = await sseJson(await post(emulator.url, OPENAI_PATH, body));
    expect(contentOf(chunks)).toMatch(/\n<\/think>\n\n\n$/);
  });

  it("lets the chunk with finish_reason carry the last content", async () => {
    const chunks = (await sseJson(await post(emulator.url, OPENAI_PATH, lastTurn(true)))).slice(0, -1);
    const last = chunks.at(-1).choices[0];
    expect(last.finish_reason).toBe("stop");
    expect(last.delta.content.length).toBeGreaterThan(0);
    expect(contentOf(chunks)).toBe(`<think>\n${TURN3.thinking}\n</think>\n\n${TURN3.text}`);
  });

  it("finishes with length when max_tokens runs out inside the thinking", async () => {
    const chunks = (await sseJson(await post(emulator.url, OPENAI_PATH, request(true, { max_tokens: 5 })))).slice(
      0,
      -1,
    );
    expect(contentOf(chunks)).toBe(`<think>\n${TURN1.thinking.slice(0, 20)}`);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
  });
});

describe("variants", () => {
  it("a whole chat.completion as the final frame", async () => {
    emulator.setVariants({ openaiFinalFrame: "completion" });
    const chunks = await sseJson(await post(emulator.url, OPENAI_PATH, lastTurn(true)));
    const final = chunks.at(-1);
    expect(final.object).toBe("chat.completion");
    expect(final.choices[0].message).toMatchObject({
      ...SPEAKER,
      content: `<think>\n${TURN3.thinking}\n</think>\n\n${TURN3.text}`,
    });
    expect(final.usage.total_tokens).toBeGreaterThan(0);
  });

  it("no [DONE]", async () => {
    emulator.setVariants({ openaiDone: false });
    const events = parseSse(await (await post(emulator.url, OPENAI_PATH, request(true))).text());
    expect(events.some((e) => e.data === "[DONE]")).toBe(false);
    expect(JSON.parse(events.at(-1)?.data ?? "").usage.total_tokens).toBeGreaterThan(0);
  });

  it("incremental reasoning_details fragments", async () => {
    const chunks = await sseJson(await post(emulator.url, OPENAI_PATH, lastTurn(true, { reasoning_split: true })));
    const details = chunks.flatMap((c) => c.choices[0]?.delta?.reasoning_details ?? []);
    expect(details.length).toBeGreaterThan(5);
    expect(details[0]).toMatchObject({
      type: "reasoning.text",
      id: "reasoning-text-1",
      format: "MiniMax-response-v1",
      index: 0,
    });
    expect(details.map((d: any) => d.text).join("")).toBe(TURN3.thinking);
    expect(contentOf(chunks)).toBe(TURN3.text);
  });

  it("cumulative reasoning_details fragments", async () => {
    emulator.setVariants({ reasoningDetailsCumulative: true });
    const chunks = await sseJson(await post(emulator.url, OPENAI_PATH, lastTurn(true, { reasoning_split: true })));
    const texts = chunks.flatMap((c) => c.choices[0]?.delta?.reasoning_details ?? []).map((d: any) => d.text);
    texts.forEach((text: string, i: number) => {
      if (i > 0) expect(text.startsWith(texts[i - 1])).toBe(true);
    });
    expect(texts.at(-1)).toBe(TURN3.thinking);
  });
});
