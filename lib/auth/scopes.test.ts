import { describe, expect, test } from "vitest";
import { type Caller, hasScope, ROLE_SCOPES, ROLES, SCOPES, scopesOf } from "./scopes";

describe("ROLE_SCOPES", () => {
  test("every role is in the table and names only known scopes, without repeats", () => {
    expect(Object.keys(ROLE_SCOPES).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      for (const scope of ROLE_SCOPES[role]) expect(SCOPES).toContain(scope);
      expect(new Set(ROLE_SCOPES[role]).size).toBe(ROLE_SCOPES[role].length);
    }
  });

  test("each role holds every scope of the roles below it (owner ⊇ admin ⊇ member ⊇ viewer)", () => {
    for (let index = 1; index < ROLES.length; index++) {
      const above = scopesOf(ROLES[index - 1] as (typeof ROLES)[number]);
      for (const scope of ROLE_SCOPES[ROLES[index] as (typeof ROLES)[number]]) expect(above.has(scope)).toBe(true);
    }
  });

  test("viewers read and comment (review), nothing else; only owners and admins manage members", () => {
    expect([...scopesOf("viewer")]).toEqual(["sessions:read", "comments:write"]);
    const managers = ROLES.filter((role) => scopesOf(role).has("members:manage"));
    expect(managers).toEqual(["owner", "admin"]);
  });
});

test("hasScope reads the caller's own set, not its role", () => {
  const caller: Caller = {
    workspaceId: "w",
    userId: null,
    role: "owner",
    scopes: new Set(["sessions:read"]),
    via: "share",
    share: { sessionId: "s", leafId: null },
  };
  expect(hasScope(caller, "sessions:read")).toBe(true);
  expect(hasScope(caller, "sessions:write")).toBe(false);
});
