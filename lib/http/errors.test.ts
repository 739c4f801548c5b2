import { expect, test } from "vitest";
import { AppError, isAppError } from "./errors";

test("isAppError knows an AppError by its shape, also one made by another copy of the class", () => {
  expect(isAppError(new AppError("conflict:run", "busy"))).toBe(true);
  // what a second copy of this module (another route bundle) makes
  class OtherCopy extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
    toResponse() {
      return new Response();
    }
  }
  expect(isAppError(new OtherCopy("unavailable:shutdown", "restarting"))).toBe(true);
  expect(isAppError(new OtherCopy("toString:x", "not a type"))).toBe(false);
  expect(isAppError(new OtherCopy("conflict", "no surface"))).toBe(false);
  expect(isAppError(Object.assign(new Error("a driver's error"), { code: "ECONNRESET" }))).toBe(false);
  expect(isAppError({ code: "conflict:run", message: "a plain object", toResponse: () => null })).toBe(false);
  expect(isAppError(null)).toBe(false);
});
