import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { ContentSplitter, type ContentSplitterOptions } from "./content-splitter";
import { partIdCounter } from "./stream-parts";
import { assemble } from "./test-support";

type Mode = Pick<ContentSplitterOptions, "initial" | "untagged">;

function split(chunks: readonly string[], mode: Mode = { initial: "detect", untagged: "thinking" }) {
  const parts: LanguageModelV4StreamPart[] = [];
  const splitter = new ContentSplitter({
    emit: (p) => parts.push(p),
    nextId: partIdCounter(),
    recordRaw: true,
    ...mode,
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.finish();
  return assemble(parts);
}

/** Every way of cutting `content` into three pieces. */
function* chunkings(content: string): Generator<string[]> {
  for (let i = 0; i <= content.length; i++) {
    for (let j = i; j <= content.length; j++) yield [content.slice(0, i), content.slice(i, j), content.slice(j)];
  }
}

const rawOf = (part: { metadata?: unknown }) => (part.metadata as { raw?: string } | undefined)?.raw ?? "";

const CASES: { name: string; content: string; mode?: Mode; expected: { kind: string; text: string }[] }[] = [
  {
    name: "native layout",
    content: "<think>\nThe user wants a proof.\n</think>\n\n**Proof.** It is even.",
    expected: [
      { kind: "reasoning", text: "The user wants a proof." },
      { kind: "text", text: "**Proof.** It is even." },
    ],
  },
  {
    name: "tool-call turn ending in </think>\\n\\n\\n",
    content: "<think>\nWrite the file.\n</think>\n\n\n",
    expected: [{ kind: "reasoning", text: "Write the file." }],
  },
  {
    name: "only the closing tag",
    content: "Reasoning without an opening tag.\n</think>\n\nAnswer",
    expected: [
      { kind: "reasoning", text: "Reasoning without an opening tag." },
      { kind: "text", text: "Answer" },
    ],
  },
  {
    name: "no tags, untagged text",
    content: "Just an answer with <b>tags</b> inside.",
    mode: { initial: "detect", untagged: "text" },
    expected: [{ kind: "text", text: "Just an answer with <b>tags</b> inside." }],
  },
  {
    name: "prefill continuation inside an open think",
    content: "\nmore reasoning\n</think>\n\nDone.",
    mode: { initial: "thinking", untagged: "thinking" },
    expected: [
      { kind: "reasoning", text: "\nmore reasoning" },
      { kind: "text", text: "Done." },
    ],
  },
  {
    name: "reasoning cut off by max_tokens",
    content: "<think>\nhalf a tho",
    expected: [{ kind: "reasoning", text: "half a tho" }],
  },
  {
    name: "a < inside reasoning that is not a tag",
    content: "<think>\na < b and </thin is not </think>\n\nok",
    expected: [
      { kind: "reasoning", text: "a < b and </thin is not " },
      { kind: "text", text: "ok" },
    ],
  },
];

describe("ContentSplitter", () => {
  for (const { name, content, mode, expected } of CASES) {
    it(`${name}: same parts for every chunking, raws rebuild the content`, () => {
      for (const chunks of chunkings(content)) {
        const parts = split(chunks, mode);
        expect(parts.map(({ kind, text }) => ({ kind, text }))).toEqual(expected);
        expect(parts.map(rawOf).join("")).toBe(content);
      }
    });
  }

  it("emits reasoning as it streams, holding back only what might be a tag", () => {
    const parts: LanguageModelV4StreamPart[] = [];
    const splitter = new ContentSplitter({
      emit: (p) => parts.push(p),
      nextId: partIdCounter(),
      recordRaw: true,
      initial: "detect",
      untagged: "thinking",
    });
    splitter.push("<think>\nfirst words\n</th");
    expect(parts).toEqual([
      { type: "reasoning-start", id: "0" },
      { type: "reasoning-delta", id: "0", delta: "first words" },
    ]);
  });

  it("extracts <minimax:tool_call> XML from text when given tools", () => {
    const parts: LanguageModelV4StreamPart[] = [];
    const splitter = new ContentSplitter({
      emit: (p) => parts.push(p),
      nextId: partIdCounter(),
      recordRaw: false,
      initial: "detect",
      untagged: "text",
      xmlTools: [
        {
          type: "function",
          name: "read_file",
          inputSchema: { type: "object", properties: { path: { type: "string" } } },
        },
      ],
    });
    for (const chunk of [
      "Reading.\n<minimax:to",
      'ol_call>\n<invoke name="read_file">\n<parameter name="path">a.ts</param',
      "eter>\n</invoke>\n</minimax:tool_call>",
    ]) {
      splitter.push(chunk);
    }
    splitter.finish();
    expect(assemble(parts)).toEqual([
      { kind: "text", text: "Reading.\n" },
      { kind: "tool-call", toolName: "read_file", text: '{"path":"a.ts"}', metadata: { toolInput: '{"path":"a.ts"}' } },
    ]);
  });
});
