import { expect, test } from "vitest";
import { BROKEN_MARKER, NUL_MARKER, visibleJsonText, visibleStep, visibleText } from "./visible-text";

test("NUL and lone surrogates become visible markers; well-formed text is unchanged", () => {
  expect(visibleText("before\u0000after")).toBe(`before${NUL_MARKER}after`);
  expect(visibleText("a\uD800b")).toBe(`a${BROKEN_MARKER}b`);
  expect(visibleText("\uDC00x\uD83D")).toBe(`${BROKEN_MARKER}x${BROKEN_MARKER}`);
  expect(visibleText("\uDE00\uD83D")).toBe(`${BROKEN_MARKER}${BROKEN_MARKER}`);
  for (const text of ["", "plain", "😀 𝄞 ✓", "\u2400 is the marker"]) expect(visibleText(text)).toBe(text);
});

test("the result is always well-formed and NUL-free", () => {
  const units = ["\u0000", "\uD800", "\uDC00", "\uD83D", "\uDE00", "a"];
  for (let n = 0; n < 6 ** 4; n++) {
    let text = "";
    for (let k = n, i = 0; i < 4; i++, k = Math.floor(k / 6)) text += units[k % 6];
    const shown = visibleText(text);
    expect(shown.isWellFormed()).toBe(true);
    expect(shown.includes("\u0000")).toBe(false);
    expect(shown.length).toBe(text.length);
  }
});

test("a step shows markers in its content and provider data; a clean step is the same object", () => {
  const clean = {
    kind: "tool_call",
    content: '{"path":"a.ts","note":"\\u00e9"}',
    providerData: { toolInput: '{"path":"a.ts"}', file: { path: "a.ts" } },
  };
  expect(visibleStep(clean)).toBe(clean);
  const odd = {
    kind: "tool_call",
    content: "x\u0000",
    providerData: {
      toolInput: '{"path":"a\\u0000b","content":"\\ud800 ok"}',
      file: { path: "a\u0000b", lines: [1] },
      signature: "s",
    },
  };
  const shown = visibleStep(odd);
  expect(shown).toEqual({
    kind: "tool_call",
    content: `x${NUL_MARKER}`,
    providerData: {
      toolInput: JSON.stringify({ path: `a${NUL_MARKER}b`, content: `${BROKEN_MARKER} ok` }),
      file: { path: `a${NUL_MARKER}b`, lines: [1] },
      signature: "s",
    },
  });
  expect(visibleStep(odd)).toBe(shown);
  expect(odd.content).toBe("x\u0000");
});

test("JSON arguments with escaped NUL or surrogates are shown with markers; partial JSON is left alone", () => {
  expect(visibleJsonText('{"path":"a\\u0000b"}')).toBe(`{"path":"a${NUL_MARKER}b"}`);
  expect(visibleJsonText('{"path":"\\uD83D\\uDE00"}')).toBe('{"path":"\\uD83D\\uDE00"}');
  expect(visibleJsonText('{"path":"a\\u0000')).toBe('{"path":"a\\u0000');
  expect(visibleJsonText('{"a":1}')).toBe('{"a":1}');
});
