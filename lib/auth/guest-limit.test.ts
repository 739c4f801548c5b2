import { describe, expect, test, vi } from "vitest";
import { assertGuestAllowed } from "./guest-limit";

vi.mock("@/lib/env", () => ({ env: () => ({ AUTH_GUESTS: false, GUEST_ACCOUNTS_PER_MINUTE: 20 }) }));

describe("assertGuestAllowed", () => {
  test("guests off (AUTH_GUESTS=false): 403 forbidden:guests, whichever endpoint asks", () => {
    const request = new Request("http://localhost/api/auth/sign-in/anonymous", { method: "POST" });
    expect(() => assertGuestAllowed(request)).toThrow(
      expect.objectContaining({ code: "forbidden:guests", status: 403 }),
    );
  });
});
