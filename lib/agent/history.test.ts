import type { LanguageModelV4Message } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { chain } from "@/lib/steps/fixtures";
import type { StepNode } from "@/lib/steps/types";
import { buildModelHistory, NOT_EXECUTED, nextTurnNumber, pendingToolCalls, personStepReplay } from "./history";

const SYSTEM = "You are a careful coding agent.";
const history = (path: StepNode[]) => buildModelHistory(path, { system: SYSTEM });

const SIG = (n: number) => `${n}`.repeat(64);

const task: Partial<StepNode> = { kind: "task", origin: "human", content: "Write src/sum.ts with a test" };
const thinking = (turn: number, content: string, providerData: StepNode["providerData"] = null): Partial<StepNode> => ({
  kind: "thinking",
  turn,
  content,
  providerData,
});
const text = (turn: number, content: string, providerData: StepNode["providerData"] = null): Partial<StepNode> => ({
  kind: "text",
  turn,
  content,
  providerData,
});
const call = (turn: number, toolCallId: string, toolName: string, toolInput: string): Partial<StepNode> => ({
  kind: "tool_call",
  turn,
  content: toolInput,
  providerData: { toolCallId, toolName, toolInput },
});
const result = (toolCallId: string, toolName: string, content: string, isError = false): Partial<StepNode> => ({
  kind: "tool_result",
  content,
  providerData: { toolCallId, toolName, isError },
});

const WRITE_SUM = '{"path":"src/sum.ts","content":"export const sum = (a: number, b: number) => a - b;\\n"}';
const WRITE_TEST = '{"path": "src/sum.test.ts", "content": "expect(sum(1, 2)).toBe(3);\\n"}';
const EDIT_SUM = '{"path":"src/sum.ts","old_string":"a - b","new_string":"a + b"}';

/** Four turns, mixing both routes' replay data: signed thinking, raw <think> slices, reasoning_details. */
const fourTurns = () =>
  chain([
    task,
    thinking(1, "The user wants a sum function.", { route: "anthropic", signature: SIG(1) }),
    text(1, "I'll create the file.", { route: "anthropic" }),
    call(1, "call_function_1_1", "write_file", WRITE_SUM),
    result("call_function_1_1", "write_file", "Wrote src/sum.ts (1 line)"),
    thinking(2, "Now a test, and re-read the file.", { route: "anthropic", signature: SIG(2) }),
    call(2, "call_function_2_1", "write_file", WRITE_TEST),
    call(2, "call_function_2_2", "read_file", '{"path":"src/sum.ts"}'),
    result("call_function_2_1", "write_file", "Wrote src/sum.test.ts (1 line)"),
    result("call_function_2_2", "read_file", "export const sum = (a: number, b: number) => a - b;\n"),
    thinking(3, "Bug: it subtracts.", {
      route: "openai",
      raw: "<think>\nBug: it subtracts.\n</think>",
      reasoningDetails: [
        {
          type: "reasoning.text",
          id: "reasoning-text-1",
          format: "MiniMax-response-v1",
          index: 0,
          text: "Bug: it subtracts.",
        },
      ],
    }),
    text(3, "Fixing.", { route: "openai", raw: "\n\nFixing." }),
    call(3, "call_function_3_1", "edit_file", EDIT_SUM),
    result(
      "call_function_3_1",
      "edit_file",
      "old_string occurs 2 times in src/sum.ts; include more surrounding lines to make it unique",
      true,
    ),
    thinking(4, "Done enough.", { route: "anthropic", signature: SIG(4) }),
    text(4, "Done: src/sum.ts and its test.", { route: "anthropic" }),
  ]);

const turnOne: LanguageModelV4Message = {
  role: "assistant",
  content: [
    { type: "reasoning", text: "The user wants a sum function.", providerOptions: { minimax: { signature: SIG(1) } } },
    { type: "text", text: "I'll create the file." },
    {
      type: "tool-call",
      toolCallId: "call_function_1_1",
      toolName: "write_file",
      input: { path: "src/sum.ts", content: "export const sum = (a: number, b: number) => a - b;\n" },
      providerOptions: { minimax: { toolInput: WRITE_SUM } },
    },
  ],
};
const resultOne: LanguageModelV4Message = {
  role: "tool",
  content: [
    {
      type: "tool-result",
      toolCallId: "call_function_1_1",
      toolName: "write_file",
      output: { type: "text", value: "Wrote src/sum.ts (1 line)" },
    },
  ],
};

describe("buildModelHistory: replaying a run exactly", () => {
  it("round-trips every signature, raw slice, reasoning detail and tool id over four turns", () => {
    expect(history(fourTurns())).toStrictEqual([
      { role: "system", content: SYSTEM },
      { role: "user", content: [{ type: "text", text: "Write src/sum.ts with a test" }] },
      turnOne,
      resultOne,
      {
        role: "assistant",
        content: [
          {
            type: "reasoning",
            text: "Now a test, and re-read the file.",
            providerOptions: { minimax: { signature: SIG(2) } },
          },
          {
            type: "tool-call",
            toolCallId: "call_function_2_1",
            toolName: "write_file",
            input: { path: "src/sum.test.ts", content: "expect(sum(1, 2)).toBe(3);\n" },
            providerOptions: { minimax: { toolInput: WRITE_TEST } },
          },
          {
            type: "tool-call",
            toolCallId: "call_function_2_2",
            toolName: "read_file",
            input: { path: "src/sum.ts" },
            providerOptions: { minimax: { toolInput: '{"path":"src/sum.ts"}' } },
          },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "call_function_2_1",
            toolName: "write_file",
            output: { type: "text", value: "Wrote src/sum.test.ts (1 line)" },
          },
          {
            type: "tool-result",
            toolCallId: "call_function_2_2",
            toolName: "read_file",
            output: { type: "text", value: "export const sum = (a: number, b: number) => a - b;\n" },
          },
        ],
      },
      {
        role: "assistant",
        content: [
          {
            type: "reasoning",
            text: "Bug: it subtracts.",
            providerOptions: {
              minimax: {
                raw: "<think>\nBug: it subtracts.\n</think>",
                reasoningDetails: [
                  {
                    type: "reasoning.text",
                    id: "reasoning-text-1",
                    format: "MiniMax-response-v1",
                    index: 0,
                    text: "Bug: it subtracts.",
                  },
                ],
              },
            },
          },
          { type: "text", text: "Fixing.", providerOptions: { minimax: { raw: "\n\nFixing." } } },
          {
            type: "tool-call",
            toolCallId: "call_function_3_1",
            toolName: "edit_file",
            input: { path: "src/sum.ts", old_string: "a - b", new_string: "a + b" },
            providerOptions: { minimax: { toolInput: EDIT_SUM } },
          },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "call_function_3_1",
            toolName: "edit_file",
            output: {
              type: "error-text",
              value: "old_string occurs 2 times in src/sum.ts; include more surrounding lines to make it unique",
            },
          },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Done enough.", providerOptions: { minimax: { signature: SIG(4) } } },
          { type: "text", text: "Done: src/sum.ts and its test." },
        ],
      },
    ]);
  });

  it("replays the exact argument string, not a re-serialisation", () => {
    const messages = history(fourTurns());
    const calls = messages
      .flatMap((m) => (m.role === "assistant" ? m.content : []))
      .filter((p) => p.type === "tool-call");
    expect(calls.map((c) => c.providerOptions?.minimax?.toolInput)).toStrictEqual([
      WRITE_SUM,
      WRITE_TEST,
      '{"path":"src/sum.ts"}',
      EDIT_SUM,
    ]);
    expect(WRITE_TEST).not.toBe(JSON.stringify(JSON.parse(WRITE_TEST)));
  });

  it("ends with the tool message when the last turn's calls are answered", () => {
    const path = fourTurns().slice(0, 5);
    const messages = history(path);
    expect(messages.at(-1)).toStrictEqual(resultOne);
    expect(nextTurnNumber(path)).toBe(2);
    expect(pendingToolCalls(path)).toStrictEqual([]);
  });
});

describe("buildModelHistory: continuing from an edited step", () => {
  it("replays earlier turns exactly and ends with the edited, unsigned thinking as a prefill", () => {
    const original = fourTurns();
    const beforeTurnTwo = original.slice(0, 5);
    const edited = chain([
      ...beforeTurnTwo,
      {
        ...thinking(2, "Now a test — and use vitest.", {
          route: "anthropic",
          signature: SIG(2),
          raw: "<think>\nNow a test…",
        }),
        origin: "human_edit",
        editedFromId: "s5",
      },
    ]);
    const messages = history(edited);
    expect(messages.slice(0, 4)).toStrictEqual(history(beforeTurnTwo));
    expect(messages[2]).toStrictEqual(turnOne);
    expect(messages.at(-1)).toStrictEqual({
      role: "assistant",
      content: [{ type: "reasoning", text: "Now a test — and use vitest." }],
    });
    expect(messages).toHaveLength(5);
    expect(nextTurnNumber(edited)).toBe(2);
    expect(pendingToolCalls(edited)).toStrictEqual([]);
  });

  it("keeps the turn's untouched parts signed when a later part of it is edited", () => {
    const path = chain([
      task,
      thinking(1, "Plan A.", { signature: SIG(1) }),
      text(1, "Going with plan A.", { raw: "\n\nGoing with plan A." }),
      { ...thinking(1, "Actually, plan B.", { signature: SIG(9) }), origin: "human_edit" },
    ]);
    expect(history(path).at(-1)).toStrictEqual({
      role: "assistant",
      content: [
        { type: "reasoning", text: "Plan A.", providerOptions: { minimax: { signature: SIG(1) } } },
        { type: "text", text: "Going with plan A.", providerOptions: { minimax: { raw: "\n\nGoing with plan A." } } },
        { type: "reasoning", text: "Actually, plan B." },
      ],
    });
  });

  it("puts an edited step and the model's continuation of that turn in one assistant message", () => {
    const path = chain([
      ...fourTurns().slice(0, 5),
      {
        ...thinking(2, "Write the test with vitest.", { signature: SIG(2) }),
        origin: "human_edit",
        editedFromId: "s5",
      },
      text(2, "Writing the test.", { route: "anthropic" }),
      call(2, "call_function_9_1", "write_file", WRITE_TEST),
      result("call_function_9_1", "write_file", "Wrote src/sum.test.ts (1 line)"),
      thinking(3, "Now run", { signature: SIG(3) }),
    ]);
    const messages = history(path);
    expect(messages.slice(4)).toStrictEqual([
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Write the test with vitest." },
          { type: "text", text: "Writing the test." },
          expect.objectContaining({
            type: "tool-call",
            toolCallId: "call_function_9_1",
            providerOptions: { minimax: { toolInput: WRITE_TEST } },
          }),
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "call_function_9_1",
            toolName: "write_file",
            output: { type: "text", value: "Wrote src/sum.test.ts (1 line)" },
          },
        ],
      },
      {
        role: "assistant",
        content: [{ type: "reasoning", text: "Now run", providerOptions: { minimax: { signature: SIG(3) } } }],
      },
    ]);
    expect(nextTurnNumber(path)).toBe(3);
  });

  it("drops the stale raw slice of an edited text step and replays an edited call's new arguments", () => {
    const path = chain([
      task,
      { ...text(1, "Edited answer.", { raw: "\n\nOriginal answer." }), origin: "human_edit" },
      { ...call(1, "call_function_1_1", "write_file", '{"path":"a.ts","content":"edited"}'), origin: "human_edit" },
    ]);
    expect(history(path).at(-1)).toStrictEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Edited answer." },
        {
          type: "tool-call",
          toolCallId: "call_function_1_1",
          toolName: "write_file",
          input: { path: "a.ts", content: "edited" },
          providerOptions: { minimax: { toolInput: '{"path":"a.ts","content":"edited"}' } },
        },
      ],
    });
  });
});

describe("buildModelHistory: user notes", () => {
  it("sends a note as a user message after the turn it follows", () => {
    const path = chain([...fourTurns(), { kind: "user_note", origin: "human", content: "Also add a README." }]);
    const messages = history(path);
    expect(messages.at(-2)?.role).toBe("assistant");
    expect(messages.at(-1)).toStrictEqual({ role: "user", content: [{ type: "text", text: "Also add a README." }] });
    expect(nextTurnNumber(path)).toBe(5);
  });

  it("words a person's file save with the new content in a fence the content can't close", () => {
    const content = "Use ```ts fences```.\n";
    const path = chain([
      ...fourTurns().slice(0, 5),
      {
        kind: "user_note",
        origin: "human",
        content: "Saved src/README.md",
        providerData: { toolName: "write_file", toolInput: JSON.stringify({ path: "./src/README.md", content }) },
      },
    ]);
    // after a tool result: it rides in that result (see "corrections keep the model's thinking")
    const last = history(path).at(-1) as Extract<LanguageModelV4Message, { role: "tool" }>;
    expect(last.role).toBe("tool");
    expect((last.content[0] as { output: { value: string } }).output.value).toMatch(
      /\n\n---\nAfter this result, the person edited src\/README\.md in the editor\. Its content is now:\n````\nUse ```ts fences```\.\n````$/,
    );
  });

  it("adds the closing newline before the fence when the file lacks one", () => {
    const path = chain([
      task,
      {
        kind: "user_note",
        origin: "human",
        providerData: { toolName: "write_file", toolInput: '{"path":"a.ts","content":"x"}' },
      },
    ]);
    expect(history(path).at(-1)).toStrictEqual({
      role: "user",
      content: [{ type: "text", text: "I edited a.ts in the editor. Its content is now:\n```\nx\n```" }],
    });
  });

  it("answers calls left without a result before the branch moved on, as not executed", () => {
    const path = chain([
      task,
      thinking(1, "Two files.", { signature: SIG(1) }),
      call(1, "call_a", "write_file", '{"path":"a.ts","content":"a"}'),
      call(1, "call_b", "write_file", '{"path":"b.ts","content":"b"}'),
      result("call_a", "write_file", "Wrote a.ts (1 line)"),
      { kind: "user_note", origin: "human", content: "Stop, only one file please." },
    ]);
    expect(history(path).slice(3)).toStrictEqual([
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "call_a",
            toolName: "write_file",
            output: { type: "text", value: "Wrote a.ts (1 line)" },
          },
          {
            type: "tool-result",
            toolCallId: "call_b",
            toolName: "write_file",
            output: { type: "error-text", value: NOT_EXECUTED },
          },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Stop, only one file please." }] },
    ]);
    expect(pendingToolCalls(path)).toStrictEqual([]);
  });
});

describe("buildModelHistory: incomplete steps", () => {
  it("skips streaming and failed steps", () => {
    const complete = fourTurns().slice(0, 5);
    const path = chain([...complete, { ...thinking(2, "half a thou", { signature: SIG(2) }), status: "streaming" }]);
    expect(history(path)).toStrictEqual(history(complete));
    expect(nextTurnNumber(path)).toBe(2);

    const failed = chain([...complete, { ...thinking(2, "oops"), status: "error" }]);
    expect(history(failed)).toStrictEqual(history(complete));
  });

  it("continues an interrupted last thinking step as unsigned partial text", () => {
    const path = chain([
      task,
      { ...thinking(1, "I was thinking ab", { raw: "<think>\nI was thinking ab" }), status: "interrupted" },
    ]);
    expect(history(path).at(-1)).toStrictEqual({
      role: "assistant",
      content: [{ type: "reasoning", text: "I was thinking ab" }],
    });
    expect(nextTurnNumber(path)).toBe(1);
  });

  it("drops an interrupted step the branch has moved past, and any interrupted call", () => {
    const path = chain([
      task,
      thinking(1, "Plan.", { signature: SIG(1) }),
      { ...text(1, "Half a sen"), status: "interrupted" },
      { kind: "user_note", origin: "human", content: "Go on." },
    ]);
    expect(history(path).slice(2)).toStrictEqual([
      {
        role: "assistant",
        content: [{ type: "reasoning", text: "Plan.", providerOptions: { minimax: { signature: SIG(1) } } }],
      },
      { role: "user", content: [{ type: "text", text: "Go on." }] },
    ]);

    const cutCall = chain([
      task,
      thinking(1, "Plan.", { signature: SIG(1) }),
      { ...call(1, "c", "write_file", '{"path":"a'), status: "interrupted" },
    ]);
    expect(history(cutCall).at(-1)).toStrictEqual({
      role: "assistant",
      content: [{ type: "reasoning", text: "Plan.", providerOptions: { minimax: { signature: SIG(1) } } }],
    });
    expect(pendingToolCalls(cutCall)).toStrictEqual([]);
  });

  it("sends a call with unparsable arguments as {} without the exact string MiniMax would reject", () => {
    const path = chain([
      task,
      call(1, "c1", "write_file", '{"path": "a.ts", "content": '),
      result("c1", "write_file", "invalid JSON", true),
    ]);
    expect(history(path)[2]).toStrictEqual({
      role: "assistant",
      content: [{ type: "tool-call", toolCallId: "c1", toolName: "write_file", input: {} }],
    });
  });

  it("leaves out empty text steps", () => {
    const path = chain([
      task,
      thinking(1, "Hm.", { signature: SIG(1) }),
      text(1, ""),
      call(1, "c1", "list_files", "{}"),
    ]);
    const last = history(path).at(-1);
    expect(last?.role === "assistant" && last.content.map((part) => part.type)).toStrictEqual([
      "reasoning",
      "tool-call",
    ]);
  });
});

describe("pendingToolCalls", () => {
  it("lists the last turn's calls that have no result yet, in order", () => {
    const path = chain([
      task,
      thinking(1, "Three calls."),
      call(1, "a", "write_file", "{}"),
      text(1, "and"),
      call(1, "b", "write_file", "{}"),
      call(1, "c", "list_files", "{}"),
      result("b", "write_file", "ok"),
    ]);
    expect(pendingToolCalls(path).map((s) => s.providerData?.toolCallId)).toStrictEqual(["a", "c"]);
    expect(nextTurnNumber(path)).toBe(2);
  });

  it("includes calls awaiting approval, ignores earlier turns and turns still open", () => {
    const path = chain([
      task,
      call(1, "old", "write_file", "{}"),
      result("old", "write_file", "ok"),
      { ...call(2, "new", "write_file", "{}"), status: "awaiting_approval" },
    ]);
    expect(pendingToolCalls(path).map((s) => s.id)).toStrictEqual(["s3"]);
    expect(pendingToolCalls(chain([task, call(1, "a", "list_files", "{}"), text(1, "wait")]))).toStrictEqual([]);
    expect(pendingToolCalls(chain([task]))).toStrictEqual([]);
    expect(pendingToolCalls([])).toStrictEqual([]);
  });
});

describe("buildModelHistory: a person's test run", () => {
  const personRun = (content: string): Partial<StepNode> => ({
    kind: "user_note",
    origin: "human",
    content,
    providerData: { toolName: "run_tests" },
  });
  const RUN_CALL = (turn: number, id: string) => call(turn, id, "run_tests", "{}");

  it("after a tool result, rides in that result: no user message closes the tool loop, thinking stays", () => {
    const before = chain([
      task,
      thinking(1, "Write it.", { route: "anthropic", signature: SIG(1) }),
      call(1, "call_w", "write_file", WRITE_SUM),
      result("call_w", "write_file", "Wrote src/sum.ts (1 line)"),
    ]);
    expect(personStepReplay(before)).toBe("tool_result");
    const path = chain([...before, personRun("1 passed, 1 failed"), personRun("2 passed, 0 failed")]);
    const messages = history(path);
    expect(messages.map((m) => m.role)).toStrictEqual(["system", "user", "assistant", "tool"]);
    expect(messages.at(-1)).toStrictEqual({
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: "call_w",
          toolName: "write_file",
          output: {
            type: "text",
            value:
              "Wrote src/sum.ts (1 line)\n\n---\nAfter this result, the person ran the tests from the editor:\n1 passed, 1 failed" +
              "\n\n---\nAfter this result, the person ran the tests from the editor:\n2 passed, 0 failed",
          },
        },
      ],
    });
    // the signed thinking of turn 1 is still replayed, and the model's next turn is turn 2
    expect(messages[2]?.content).toContainEqual(
      expect.objectContaining({ type: "reasoning", providerOptions: { minimax: { signature: SIG(1) } } }),
    );
    expect(pendingToolCalls(path)).toStrictEqual([]);
    expect(nextTurnNumber(path)).toBe(2);
  });

  it("keeps an error result an error, with the person's run appended to its text", () => {
    const path = chain([
      task,
      thinking(1, "Run them."),
      RUN_CALL(1, "call_r"),
      result("call_r", "run_tests", "Nothing ran: no test files.", true),
      personRun("1 passed, 0 failed"),
    ]);
    const last = history(path).at(-1) as Extract<LanguageModelV4Message, { role: "tool" }>;
    expect(last.content[0]).toMatchObject({
      output: {
        type: "error-text",
        value: expect.stringMatching(/^Nothing ran: no test files\.\n\n---\n.*\n1 passed/),
      },
    });
  });

  it("after the model's answer (no tool result to carry it), is the person's message", () => {
    const path = fourTurns();
    expect(personStepReplay(path)).toBe("user_message");
    expect(history([...path, ...chain([personRun("3 passed, 0 failed")])]).at(-1)).toStrictEqual({
      role: "user",
      content: [{ type: "text", text: "I ran the tests from the editor:\n3 passed, 0 failed" }],
    });
    expect(personStepReplay(chain([task]))).toBe("user_message");
  });

  it("after a person's message, is another message, not merged into an older tool result", () => {
    const path = chain([
      task,
      thinking(1, "Write it."),
      call(1, "call_w", "write_file", WRITE_SUM),
      result("call_w", "write_file", "Wrote src/sum.ts (1 line)"),
      { kind: "user_note", origin: "human", content: "Now test it." },
    ]);
    expect(personStepReplay(path)).toBe("user_message");
    const messages = history(chain([...path, personRun("0 passed, 1 failed")]));
    expect(messages.slice(-2).map((m) => m.role)).toStrictEqual(["user", "user"]);
  });
});

describe("buildModelHistory: corrections keep the model's thinking", () => {
  const saved = (path: string, content: string): Partial<StepNode> => ({
    kind: "user_note",
    origin: "human",
    content: `Edited ${path} in the editor.`,
    providerData: { toolName: "write_file", toolInput: JSON.stringify({ path, content }) },
  });
  const turnOne = () =>
    chain([
      task,
      thinking(1, "Write it.", { route: "anthropic", signature: SIG(1) }),
      call(1, "call_w", "write_file", WRITE_SUM),
      result("call_w", "write_file", "Wrote src/sum.ts (1 line)"),
    ]);

  it("a file saved after a tool result rides in that result, labelled as the person's; the thinking stays", () => {
    const before = turnOne();
    expect(personStepReplay(before)).toBe("tool_result");
    const messages = history(chain([...before, saved("src/sum.ts", "export const sum = (a, b) => a + b;")]));
    expect(messages.map((m) => m.role)).toStrictEqual(["system", "user", "assistant", "tool"]);
    expect((messages.at(-1) as Extract<LanguageModelV4Message, { role: "tool" }>).content[0]).toMatchObject({
      toolCallId: "call_w",
      output: {
        type: "text",
        value:
          "Wrote src/sum.ts (1 line)\n\n---\nAfter this result, the person edited src/sum.ts in the editor. Its content is now:\n```\nexport const sum = (a, b) => a + b;\n```",
      },
    });
    expect(messages[2]?.content).toContainEqual(
      expect.objectContaining({ type: "reasoning", providerOptions: { minimax: { signature: SIG(1) } } }),
    );
  });

  it("a rejection is the call's own (error) result: no user message, every earlier turn's thinking replayed", () => {
    const path = chain([
      ...turnOne(),
      thinking(2, "Now the tests.", { route: "anthropic", signature: SIG(2) }),
      call(2, "call_t", "write_file", WRITE_SUM),
      {
        ...result("call_t", "write_file", "The reviewer (Ada) rejected this change…\nTheir comment: no.", true),
        providerData: {
          toolCallId: "call_t",
          toolName: "write_file",
          isError: true,
          review: { decision: "rejected", by: "Ada", comment: "no." },
        },
      },
    ]);
    const messages = history(path);
    expect(messages.map((m) => m.role)).toStrictEqual(["system", "user", "assistant", "tool", "assistant", "tool"]);
    expect((messages.at(-1) as Extract<LanguageModelV4Message, { role: "tool" }>).content[0]).toMatchObject({
      toolCallId: "call_t",
      output: { type: "error-text", value: expect.stringContaining("Their comment: no.") },
    });
    const signatures = messages
      .filter((m) => m.role === "assistant")
      .flatMap((m) => (m.content as { providerOptions?: { minimax?: { signature?: string } } }[]).map((part) => part))
      .map((part) => part.providerOptions?.minimax?.signature)
      .filter(Boolean);
    expect(signatures).toStrictEqual([SIG(1), SIG(2)]);
    expect(nextTurnNumber(path)).toBe(3);
  });

  it("a file saved where no tool result can carry it (after the answer, or mid-turn) is the person's message", () => {
    const answered = fourTurns();
    expect(personStepReplay(answered)).toBe("user_message");
    expect(history([...answered, ...chain([saved("a.txt", "x\n")])]).at(-1)).toStrictEqual({
      role: "user",
      content: [{ type: "text", text: "I edited a.txt in the editor. Its content is now:\n```\nx\n```" }],
    });
    const midTurn = chain([task, thinking(1, "Let me think.")]);
    expect(personStepReplay(midTurn)).toBe("user_message");
  });

  it("a reviewer's comment sent to the model rides in the tool result it follows; elsewhere it is a message", () => {
    const comment = (body: string): Partial<StepNode> => ({
      kind: "user_note",
      origin: "human",
      content: body,
      providerData: { comment: { id: "c1", by: "Ada" } },
    });
    const messages = history(chain([...turnOne(), comment("Use a loop instead.")]));
    expect(messages.map((m) => m.role)).toStrictEqual(["system", "user", "assistant", "tool"]);
    expect((messages.at(-1) as Extract<LanguageModelV4Message, { role: "tool" }>).content[0]).toMatchObject({
      output: {
        type: "text",
        value: "Wrote src/sum.ts (1 line)\n\n---\nAfter this result, a reviewer (Ada) commented:\nUse a loop instead.",
      },
    });
    expect(history([...fourTurns(), ...chain([comment("Nice.")])]).at(-1)).toStrictEqual({
      role: "user",
      content: [{ type: "text", text: "Comment from a reviewer (Ada):\nNice." }],
    });
  });

  it("a person's free text after a tool result stays their message (it is not a correction to the result)", () => {
    const path = chain([...turnOne(), { kind: "user_note", origin: "human", content: "Now add tests." }]);
    expect(history(path).at(-1)?.role).toBe("user");
  });
});

describe("nextTurnNumber", () => {
  it("starts at 1 and follows the last turn", () => {
    expect(nextTurnNumber([])).toBe(1);
    expect(nextTurnNumber(chain([task]))).toBe(1);
    expect(nextTurnNumber(fourTurns())).toBe(4); // ends inside turn 4: a continuation stays in it
    expect(nextTurnNumber(fourTurns().slice(0, 14))).toBe(4);
  });
});

describe("other providers' replay data", () => {
  const signed = { anthropic: { signature: "sig-abc" } };
  it("goes back as the part's providerOptions, for the provider to replay by its rules", () => {
    const messages = history(
      chain([task, { ...thinking(1, "Plan the file."), providerData: { providerMetadata: signed } }, text(1, "Done.")]),
    );
    const assistant = messages[2] as Extract<LanguageModelV4Message, { role: "assistant" }>;
    expect(assistant.content[0]).toEqual({ type: "reasoning", text: "Plan the file.", providerOptions: signed });
    expect(assistant.content[1]).toEqual({ type: "text", text: "Done." });
  });
  it("is dropped from an edited or cut-short step: it vouches for the model's own, complete text", () => {
    const edited = history(
      chain([
        task,
        { ...thinking(1, "My plan instead."), origin: "human_edit", providerData: { providerMetadata: signed } },
        text(1, "Done."),
      ]),
    );
    const assistant = edited[2] as Extract<LanguageModelV4Message, { role: "assistant" }>;
    expect(assistant.content[0]).toEqual({ type: "reasoning", text: "My plan instead." });
  });
});
