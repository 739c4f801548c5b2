import { expect, test } from "vitest";
import { BROKEN_MARKER, NUL_MARKER, visibleStep, visibleText } from "./visible-text";

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
  const clean = { content: "ok 😀", providerData: { toolInput: '{"path":"a.ts"}', file: { path: "a.ts" } } };
  expect(visibleStep(clean)).toBe(clean);
  const odd = {
    content: "x\u0000",
    providerData: { toolInput: '{"path":"a\\u0000b"}', file: { path: "a\u0000b", lines: [1] }, signature: "s" },
  };
  const shown = visibleStep(odd);
  expect(shown).toEqual({
    content: `x${NUL_MARKER}`,
    providerData: { toolInput: '{"path":"a\\u0000b"}', file: { path: `a${NUL_MARKER}b`, lines: [1] }, signature: "s" },
  });
  expect(visibleStep(odd)).toBe(shown);
  expect(odd.content).toBe("x\u0000");
});
