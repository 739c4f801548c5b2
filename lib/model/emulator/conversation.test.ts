// biome-ignore-all lint/suspicious/noExplicitAny: tests reach into wire JSON
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chooseScenario, faultFromMarker, readConversation } from "./conversation";
import { type Emulator, FINAL_TURN, SCENARIOS, signatureFor, startEmulator } from "./index";
import { PREFILL_CONTINUATION } from "./plan";
import { ANTHROPIC_PATH, OPENAI_PATH, post, runAnthropic, runOpenai, sseJson } from "./test-support";

const scenario = (id: string) => {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};
const SUM = scenario("sum");

describe("scenario choice", () => {
  it("prefers the marker, then a keyword, then the first scenario", () => {
    expect(chooseScenario(SCENARIOS, "sum it up [emulator:scenario=fizzbuzz]").id).toBe("fizzbuzz");
    expect(chooseScenario(SCENARIOS, "Please write FizzBuzz").id).toBe("fizzbuzz");
    expect(chooseScenario(SCENARIOS, "an LRU cache please").id).toBe("long");
    expect(chooseScenario(SCENARIOS, "something else entirely").id).toBe("sum");
    expect(chooseScenario(SCENARIOS, "[emulator:scenario=nope] hello").id).toBe("sum");
  });
});

describe("turn position", () => {
  const user = { role: "user", content: "task" };
  const assistant = { role: "assistant", content: [{ type: "thinking", thinking: "t" }] };

  it("serves the turn after the assistant messages already replayed", () => {
    expect(readConversation("anthropic", { messages: [user] })).toMatchObject({ turnIndex: 0, prefill: "none" });
    const history = [user, assistant, user, assistant, user];
    expect(readConversation("anthropic", { messages: history })).toMatchObject({ turnIndex: 2, prefill: "none" });
  });

  it("continues the last assistant turn when the request ends with one (prefill)", () => {
    const history = [user, assistant, user, assistant];
    expect(readConversation("anthropic", { messages: history })).toMatchObject({
      turnIndex: 1,
      prefill: "after-thinking",
    });
  });

  it("tells an open <think> apart from a finished one on the OpenAI route", () => {
    const open = { role: "assistant", content: "<think>\nedited" };
    const closed = { role: "assistant", content: "<think>\nedited\n</think>\n\n" };
    const split = { role: "assistant", content: "", reasoning_details: [{ text: "edited" }] };
    expect(readConversation("openai", { messages: [user, open] }).prefill).toBe("open-thinking");
    expect(readConversation("openai", { messages: [user, closed] }).prefill).toBe("after-thinking");
    expect(readConversation("openai", { messages: [user, split] }).prefill).toBe("open-thinking");
  });

  it("reads the first user message from text parts", () => {
    const parts = {
      role: "user",
      content: [
        { type: "text", text: "FizzBuzz " },
        { type: "text", text: "please" },
      ],
    };
    expect(readConversation("openai", { messages: [{ role: "system", content: "sys" }, parts] }).firstUserText).toBe(
      "FizzBuzz please",
    );
  });

  it("reads a status with MiniMax's own code", () => {
    expect(faultFromMarker("x [emulator:fault=500:1008]")).toEqual({ type: "http", status: 500, code: 1008 });
    expect(faultFromMarker("x [emulator:fault=429]")).toEqual({ type: "http", status: 429 });
  });

  it("ignores text without a fault marker", () => {
    expect(faultFromMarker("write a sum function")).toBeNull();
    expect(faultFromMarker("[emulator:fault=bogus]")).toBeNull();
  });
});

describe("scenario data", () => {
  it("edits an old_string that really exists in what turn 1 wrote", () => {
    const written = SUM.turns[0]?.toolCalls?.[0]?.input.content as string;
    const edit = SUM.turns[2]?.toolCalls?.[0]?.input;
    expect(edit?.path).toBe("src/sum.ts");
    expect(written).toContain(edit?.old_string);
    expect(SUM.turns).toHaveLength(4);
    expect(SUM.turns[3]?.toolCalls).toBeUndefined();
  });

  it("gives every turn multi-sentence thinking, and the long scenario many words", () => {
    for (const s of SCENARIOS) {
      for (const turn of s.turns) expect(turn.thinking.split(". ").length).toBeGreaterThanOrEqual(2);
    }
    const words = scenario("long").turns.reduce((n, t) => n + `${t.thinking} ${t.text ?? ""}`.split(/\s+/).length, 0);
    expect(words).toBeGreaterThan(1000);
  });
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ chunkDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("whole conversations", () => {
  it("plays the default scenario turn by turn on the Anthropic route, with thinking replayed", async () => {
    const replies = await runAnthropic(emulator.url, "Write a sum function with tests");
    expect(replies.map((r) => r.stop_reason)).toEqual(["tool_use", "tool_use", "tool_use", "end_turn"]);
    expect(replies.map((r) => r.content[0].thinking)).toEqual(SUM.turns.map((t) => t.thinking));
    expect(emulator.requests.map((r) => r.turnIndex)).toEqual([0, 1, 2, 3]);
    const last = emulator.requests.at(-1);
    expect(last?.replay).toMatchObject({ assistantTurns: 3, turnsWithThinking: 3, signedTurns: 3, ok: true });
    expect(last?.replay.thinkingByTurn).toEqual(SUM.turns.slice(0, 3).map((t) => t.thinking));
  });

  it("plays a scenario on the OpenAI route, with <think> content replayed", async () => {
    const replies = await runOpenai(emulator.url, "FizzBuzz please");
    expect(replies.map((r) => r.choices[0].finish_reason)).toEqual(["tool_calls", "tool_calls", "stop"]);
    const last = emulator.requests.at(-1);
    expect(last?.scenarioId).toBe("fizzbuzz");
    expect(last?.replay).toMatchObject({ assistantTurns: 2, turnsWithThinking: 2, signedTurns: 0, ok: true });
  });

  it("plays the OpenAI route with reasoning_split, reasoning_details replayed", async () => {
    await runOpenai(emulator.url, "FizzBuzz please", { reasoning_split: true });
    expect(emulator.requests.at(-1)?.replay.ok).toBe(true);
  });

  it("answers with a short final text past the end of the script", async () => {
    const assistant = { role: "assistant", content: [{ type: "text", text: "x" }] };
    const user = { role: "user", content: "more" };
    const messages = [{ role: "user", content: "FizzBuzz" }, assistant, user, assistant, user, assistant, user];
    const body = await (await post(emulator.url, ANTHROPIC_PATH, { model: "MiniMax-M2", messages })).json();
    expect(body.content).toEqual([
      { thinking: FINAL_TURN.thinking, signature: signatureFor(FINAL_TURN.thinking), type: "thinking" },
      { type: "text", text: "Done." },
    ]);
    expect(emulator.requests[0]?.turnIndex).toBe(3);
  });

  it("regenerating from an earlier point serves the same turn again", async () => {
    const replies = await runAnthropic(emulator.url, "Write a sum function");
    const history = [
      { role: "user", content: "Write a sum function" },
      { role: "assistant", content: replies[0].content },
    ];
    const again = await (
      await post(emulator.url, ANTHROPIC_PATH, {
        model: "MiniMax-M2",
        messages: [...history, { role: "user", content: [{ type: "tool_result", tool_use_id: "x", content: "ok" }] }],
      })
    ).json();
    expect(again.content[0].thinking).toBe(SUM.turns[1]?.thinking);
  });
});

describe("prefill (continuing an edited turn)", () => {
  it("Anthropic: continues turn N without a new thinking block", async () => {
    const edited = {
      role: "assistant",
      content: [{ type: "thinking", thinking: "My edited plan: write src/sum.ts." }],
    };
    const messages = [{ role: "user", content: "Write a sum function" }, edited];
    const data = await sseJson(
      await post(emulator.url, ANTHROPIC_PATH, { model: "MiniMax-M2", stream: true, messages }),
    );
    const blocks = data.filter((d) => d.type === "content_block_start").map((d) => d.content_block.type);
    expect(blocks).toEqual(["tool_use"]);
    const record = emulator.requests[0];
    expect(record).toMatchObject({ prefill: true, turnIndex: 0 });
    expect(record?.replay).toMatchObject({ assistantTurns: 1, turnsWithThinking: 1, signedTurns: 0, ok: true });
  });

  it("OpenAI: continues an open <think>, closes it, then the rest of the turn", async () => {
    const messages = [
      { role: "user", content: "FizzBuzz" },
      { role: "assistant", content: "<think>\nI should look at the files first" },
    ];
    const body = await (await post(emulator.url, OPENAI_PATH, { model: "MiniMax-M2", messages })).json();
    const turn = scenario("fizzbuzz").turns[0];
    expect(body.choices[0].message.content).toBe(`${PREFILL_CONTINUATION}\n</think>\n\n${turn?.text}\n`);
    expect(body.choices[0].message.tool_calls[0].function.name).toBe("list_files");
    expect(emulator.requests[0]).toMatchObject({ prefill: true, turnIndex: 0 });
    expect(emulator.requests[0]?.replay.thinkingByTurn).toEqual(["I should look at the files first"]);
  });

  it("OpenAI: a prefill whose thinking is already closed gets only the rest", async () => {
    const messages = [
      { role: "user", content: "FizzBuzz" },
      { role: "assistant", content: "<think>\nedited\n</think>\n\n" },
    ];
    const body = await (await post(emulator.url, OPENAI_PATH, { model: "MiniMax-M2", messages })).json();
    expect(body.choices[0].message.content).toBe(`${scenario("fizzbuzz").turns[0]?.text}\n`);
  });
});
