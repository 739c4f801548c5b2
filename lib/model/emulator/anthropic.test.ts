// biome-ignore-all lint/suspicious/noExplicitAny: tests reach into wire JSON
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, SCENARIOS, signatureFor, startEmulator } from "./index";
import { ANTHROPIC_PATH, parseSse, post, sseJson } from "./test-support";

const SUM = SCENARIOS[0];
if (!SUM) throw new Error("no default scenario");
const [TURN1, , , TURN4] = SUM.turns;
if (!TURN1 || !TURN4) throw new Error("the default scenario has four turns");

const HEX32 = /^[0-9a-f]{32}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const TOOL_ID = /^call_function_\d+_1$/;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const task = { role: "user", content: "Write a sum function with tests" };
/** A request that asks for the fourth turn (three assistant turns already replayed). */
function atTurn4(stream: boolean) {
  const assistant = { role: "assistant", content: [{ type: "text", text: "…" }] };
  const user = { role: "user", content: "go on" };
  return { model: "MiniMax-M2", stream, messages: [task, assistant, user, assistant, user, assistant, user] };
}
const turn1 = (stream: boolean) => ({ model: "MiniMax-M2", max_tokens: 4096, stream, messages: [task] });

describe("non-streaming", () => {
  it("matches MiniMax's documented message shape for a tool turn", async () => {
    const res = await post(emulator.url, ANTHROPIC_PATH, turn1(false));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await res.json();
    expect(Object.keys(body)).toEqual(["id", "type", "role", "model", "content", "usage", "stop_reason", "base_resp"]);
    expect(body.id).toMatch(HEX32);
    expect(body).toMatchObject({ type: "message", role: "assistant", model: "MiniMax-M2", stop_reason: "tool_use" });
    expect(body.base_resp).toEqual({ status_code: 0, status_msg: "" });
    expect(body).not.toHaveProperty("stop_sequence");

    const [thinking, toolUse] = body.content;
    expect(Object.keys(thinking)).toEqual(["thinking", "signature", "type"]);
    expect(thinking.thinking).toBe(TURN1.thinking);
    expect(thinking.signature).toMatch(HEX64);
    expect(thinking.signature).toBe(signatureFor(TURN1.thinking));
    expect(Object.keys(toolUse)).toEqual(["type", "id", "name", "input"]);
    expect(toolUse.id).toMatch(TOOL_ID);
    expect(toolUse).toMatchObject({ type: "tool_use", name: "write_file", input: TURN1.toolCalls?.[0]?.input });

    expect(body.usage.input_tokens).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBe(
      Math.ceil((TURN1.thinking.length + JSON.stringify(TURN1.toolCalls?.[0]?.input).length) / 4),
    );
    expect(body.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it("ends a text turn with end_turn", async () => {
    const body = await (await post(emulator.url, ANTHROPIC_PATH, atTurn4(false))).json();
    expect(body.stop_reason).toBe("end_turn");
    expect(body.content.map((b: any) => b.type)).toEqual(["thinking", "text"]);
    expect(body.content[1].text).toBe(TURN4.text);
  });

  it("gives a reasoning-only reply when max_tokens runs out inside the thinking", async () => {
    const body = await (await post(emulator.url, ANTHROPIC_PATH, { ...turn1(false), max_tokens: 10 })).json();
    expect(body.stop_reason).toBe("max_tokens");
    expect(body.content).toHaveLength(1);
    expect(body.content[0].thinking).toBe(TURN1.thinking.slice(0, 40));
    expect(body.content[0].signature).toBe(signatureFor(TURN1.thinking.slice(0, 40)));
  });
});

describe("MiniMax-M3 thinks only when asked", () => {
  const kinds = async (body: object) =>
    ((await (await post(emulator.url, ANTHROPIC_PATH, body)).json()).content as any[]).map((b) => b.type);

  it("without `thinking` M3 answers with no thinking block; with it, and M2 always, the turn opens with one", async () => {
    expect(await kinds({ ...turn1(false), model: "MiniMax-M3" })).not.toContain("thinking");
    expect(
      (await kinds({ ...turn1(false), model: "MiniMax-M3", thinking: { type: "enabled", budget_tokens: 2048 } }))[0],
    ).toBe("thinking");
    expect((await kinds(turn1(false)))[0]).toBe("thinking");
  });
});

describe("streaming", () => {
  it("follows the Anthropic SSE grammar with MiniMax's ids and signature_delta", async () => {
    const res = await post(emulator.url, ANTHROPIC_PATH, turn1(true));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    const data = events.map((e) => JSON.parse(e.data));

    const shape = data.map((d) => (d.type === "content_block_delta" ? `${d.index}:${d.delta.type}` : d.type));
    const collapsed = shape.filter((s, i) => s !== shape[i - 1]);
    expect(collapsed).toEqual([
      "message_start",
      "content_block_start",
      "0:thinking_delta",
      "0:signature_delta",
      "content_block_stop",
      "content_block_start",
      "1:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);

    const start = data[0].message;
    expect(start.id).toMatch(HEX32);
    expect(start).toMatchObject({
      type: "message",
      role: "assistant",
      model: "MiniMax-M2",
      content: [],
      stop_reason: null,
    });
    expect(start.usage.output_tokens).toBe(0);

    const deltas = (type: string) => data.filter((d) => d.delta?.type === type).map((d) => d.delta);
    expect(deltas("thinking_delta").length).toBeGreaterThan(10);
    expect(
      deltas("thinking_delta")
        .map((d) => d.thinking)
        .join(""),
    ).toBe(TURN1.thinking);
    expect(deltas("signature_delta")).toEqual([{ type: "signature_delta", signature: signatureFor(TURN1.thinking) }]);
    expect(deltas("input_json_delta").length).toBeGreaterThanOrEqual(3);
    expect(
      JSON.parse(
        deltas("input_json_delta")
          .map((d) => d.partial_json)
          .join(""),
      ),
    ).toEqual(TURN1.toolCalls?.[0]?.input);

    const starts = data.filter((d) => d.type === "content_block_start").map((d) => d.content_block);
    expect(starts[0]).toEqual({ type: "thinking", thinking: "", signature: "" });
    expect(starts[1]).toMatchObject({ type: "tool_use", name: "write_file", input: {} });
    expect(starts[1].id).toMatch(TOOL_ID);

    const messageDelta = data.find((d) => d.type === "message_delta");
    expect(messageDelta.delta).toEqual({ stop_reason: "tool_use" });
    expect(messageDelta.usage.output_tokens).toBeGreaterThan(0);
  });

  it("splits words into chunks of wordsPerChunk", async () => {
    const three = await sseJson(await post(emulator.url, ANTHROPIC_PATH, turn1(true)));
    const first = three.find((d) => d.delta?.type === "thinking_delta").delta.thinking;
    expect(first).toBe("The task asks ");
  });

  it("streams a text block with text_delta on a text turn", async () => {
    const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, atTurn4(true)));
    expect(data.find((d) => d.content_block?.type === "text").content_block).toEqual({ type: "text", text: "" });
    const text = data.filter((d) => d.delta?.type === "text_delta").map((d) => d.delta.text);
    expect(text.join("")).toBe(TURN4.text);
    expect(data.find((d) => d.type === "message_delta").delta.stop_reason).toBe("end_turn");
  });
});

describe("variants", () => {
  it("signature only in content_block_start", async () => {
    emulator.setVariants({ signature: "start" });
    const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, turn1(true)));
    expect(data.some((d) => d.delta?.type === "signature_delta")).toBe(false);
    expect(data[1].content_block).toEqual({ type: "thinking", thinking: "", signature: signatureFor(TURN1.thinking) });
  });

  it("no signature at all", async () => {
    emulator.setVariants({ signature: "none" });
    const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, turn1(true)));
    expect(data.some((d) => d.delta?.type === "signature_delta")).toBe(false);
    expect(data[1].content_block).toEqual({ type: "thinking", thinking: "" });
    const body = await (await post(emulator.url, ANTHROPIC_PATH, turn1(false))).json();
    expect(body.content[0]).toEqual({ thinking: TURN1.thinking, type: "thinking" });
  });

  it("content_block_start repeating the full text", async () => {
    emulator.setVariants({ startRepeatsText: true });
    const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, atTurn4(true)));
    const starts = data.filter((d) => d.type === "content_block_start").map((d) => d.content_block);
    expect(starts).toEqual([
      { type: "thinking", thinking: TURN4.thinking, signature: "" },
      { type: "text", text: TURN4.text },
    ]);
    const text = data.filter((d) => d.delta?.type === "text_delta").map((d) => d.delta.text);
    expect(text.join("")).toBe(TURN4.text);
  });

  it("reasoning as text with literal <think> tags", async () => {
    emulator.setVariants({ thinkAsText: true });
    const data = await sseJson(await post(emulator.url, ANTHROPIC_PATH, turn1(true)));
    const starts = data.filter((d) => d.type === "content_block_start").map((d) => d.content_block.type);
    expect(starts).toEqual(["text", "tool_use"]);
    const text = data.filter((d) => d.delta?.type === "text_delta").map((d) => d.delta.text);
    expect(text.join("")).toBe(`<think>\n${TURN1.thinking}\n</think>\n\n`);
    expect(data.some((d) => d.delta?.type === "signature_delta")).toBe(false);

    const body = await (await post(emulator.url, ANTHROPIC_PATH, atTurn4(false))).json();
    expect(body.content).toEqual([{ type: "text", text: `<think>\n${TURN4.thinking}\n</think>\n\n${TURN4.text}` }]);
  });
});
