import { describe, expect, test } from "vitest";
import { DB_TEXT_ESCAPE, decodeDbJson, decodeDbText, encodeDbJson, encodeDbText } from "./text-codec";

/** Deterministic PRNG (mulberry32), so a failure can be reproduced from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings weighted towards the interesting units: NUL, both surrogate halves, the escape, hex digits. */
const UNITS = [
  "\u0000",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  "\uD83D",
  "\uDE00",
  DB_TEXT_ESCAPE,
  "0",
  "A",
  "f",
  "x",
  "é",
  "\n",
  "😀",
];
function randomString(next: () => number, maxLength: number): string {
  let out = "";
  const length = Math.floor(next() * maxLength);
  for (let i = 0; i < length; i++) {
    out +=
      next() < 0.7
        ? (UNITS[Math.floor(next() * UNITS.length)] as string)
        : String.fromCharCode(Math.floor(next() * 0x10000));
  }
  return out;
}

/** What PostgreSQL's text and jsonb accept: no NUL, no lone surrogate. */
function storable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

describe("encodeDbText / decodeDbText", () => {
  test("ordinary text, emoji and markup are stored unchanged", () => {
    for (const text of ["", "hello", "ünïcode ✓ 😀 𝄞", '<b>"x"</b> \\u0000 literally', "\uFDD1 \uFFFF"]) {
      expect(encodeDbText(text)).toBe(text);
      expect(decodeDbText(text)).toBe(text);
    }
  });

  test("NUL, lone surrogates, U+FEFF and the escape itself are escaped into storable text", () => {
    expect(encodeDbText("before\u0000after")).toBe(`before${DB_TEXT_ESCAPE}0000after`);
    expect(encodeDbText("a\uD800b")).toBe(`a${DB_TEXT_ESCAPE}D800b`);
    expect(encodeDbText("\uDC00")).toBe(`${DB_TEXT_ESCAPE}DC00`);
    expect(encodeDbText("\uDE00\uD83D")).toBe(`${DB_TEXT_ESCAPE}DE00${DB_TEXT_ESCAPE}D83D`);
    expect(encodeDbText(DB_TEXT_ESCAPE)).toBe(`${DB_TEXT_ESCAPE}FDD0`);
    // the embedded database's reads drop a leading U+FEFF (a byte-order mark)
    expect(encodeDbText("\uFEFFusing System;")).toBe(`${DB_TEXT_ESCAPE}FEFFusing System;`);
    expect(decodeDbText(encodeDbText("\uFEFFa\uFEFF"))).toBe("\uFEFFa\uFEFF");
  });

  test("an escape not followed by 4 hex digits (text stored before) reads back as it is", () => {
    for (const text of [DB_TEXT_ESCAPE, `${DB_TEXT_ESCAPE}12`, `${DB_TEXT_ESCAPE}zzzz`, `${DB_TEXT_ESCAPE}abcd`]) {
      expect(decodeDbText(text)).toBe(text);
    }
  });

  test("round trip: random strings come back exactly and are always storable", () => {
    const next = random(20261130);
    for (let i = 0; i < 5000; i++) {
      const text = randomString(next, 24);
      const stored = encodeDbText(text);
      expect(storable(stored), JSON.stringify(text)).toBe(true);
      expect(decodeDbText(stored)).toBe(text);
      if (storable(text) && !text.includes(DB_TEXT_ESCAPE)) expect(stored).toBe(text);
    }
  });

  test("concatenation: encoded chunks appended in the row decode to the whole text, pairs split or not", () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      const text = randomString(next, 40);
      const cuts = [0, Math.floor(next() * text.length), Math.floor(next() * text.length), text.length].sort(
        (a, b) => a - b,
      );
      const chunks = cuts.slice(1).map((end, k) => text.slice(cuts[k], end));
      const row = chunks.map(encodeDbText).join("");
      expect(storable(row)).toBe(true);
      expect(decodeDbText(row)).toBe(text);
    }
    // an emoji split between two writes
    expect(decodeDbText(encodeDbText("a\uD83D") + encodeDbText("\uDE00b"))).toBe("a😀b");
  });
});

describe("encodeDbJson / decodeDbJson", () => {
  test("every string of a JSON value, keys included, round-trips; other values are kept", () => {
    const value = {
      signature: "sig\u0000",
      "key\uD800": ["x\uDC00", 1, null, true, { nested: `${DB_TEXT_ESCAPE}0000` }],
      plain: "plain",
      n: 2.5,
    };
    const stored = encodeDbJson(value);
    const serialized = JSON.stringify(stored);
    expect(serialized.includes("\\u0000")).toBe(false);
    expect(storable(serialized)).toBe(true);
    expect(Object.keys(stored)).toContain(`key${DB_TEXT_ESCAPE}D800`);
    expect(decodeDbJson(stored)).toEqual(value);
    expect(encodeDbJson(null)).toBeNull();
    expect(encodeDbJson({ a: "b" })).toEqual({ a: "b" });
  });
});
