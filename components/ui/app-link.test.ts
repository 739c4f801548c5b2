import { describe, expect, test } from "vitest";
import { browserFollows } from "./app-link";

const plain = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };

describe("AppLink: which clicks the browser follows", () => {
  test("a plain main-button click goes through the app router", () => {
    expect(browserFollows(plain)).toBe(false);
  });

  test("a modifier key, another button or a click already handled is the browser's", () => {
    for (const key of ["metaKey", "ctrlKey", "shiftKey", "altKey", "defaultPrevented"] as const) {
      expect(browserFollows({ ...plain, [key]: true })).toBe(true);
    }
    expect(browserFollows({ ...plain, button: 1 })).toBe(true);
    expect(browserFollows({ ...plain, button: 2 })).toBe(true);
    expect(browserFollows(plain, "_blank")).toBe(true);
    expect(browserFollows(plain, "_self")).toBe(false);
  });
});
