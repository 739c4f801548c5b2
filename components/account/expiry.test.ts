import { expect, test } from "vitest";
import { EXPIRY_CHOICES, expiryDays } from "./expiry";

test("every offered choice maps to never or a whole number of days", () => {
  expect(EXPIRY_CHOICES.map((choice) => expiryDays(choice.value))).toEqual([null, 1, 7, 30]);
});

test("anything else means never", () => {
  for (const value of ["", "0", "-1", "abc", "NaN", "Infinity"]) expect(expiryDays(value)).toBeNull();
});
