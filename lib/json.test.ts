import { expect, test } from "vitest";
import { isJson, parseJsonObject, parseJsonOr } from "./json";

test("parseJsonOr parses JSON and answers the fallback for anything else", () => {
  expect(parseJsonOr('{"path":"a.ts"}', null)).toEqual({ path: "a.ts" });
  expect(parseJsonOr("null", "fallback")).toBeNull();
  expect(parseJsonOr('{"path":"a.t', "cut")).toBe("cut");
  expect(parseJsonOr("", undefined)).toBeUndefined();
});

test("parseJsonObject takes only an object", () => {
  expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  for (const text of ["[1]", "3", "null", '"s"', "{broken"]) expect(parseJsonObject(text)).toBeUndefined();
});

test("isJson tells valid JSON from the rest", () => {
  expect(isJson("{}")).toBe(true);
  expect(isJson("false")).toBe(true);
  expect(isJson("")).toBe(false);
  expect(isJson("{'a':1}")).toBe(false);
});
