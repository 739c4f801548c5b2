import { describe, expect, test } from "vitest";
import { membershipChangeProblem } from "./members";

describe("membershipChangeProblem", () => {
  test("only an owner makes or unmakes owners", () => {
    expect(membershipChangeProblem({ actorRole: "admin", target: "member", next: "owner", owners: 1 })?.code).toBe(
      "forbidden:owner",
    );
    expect(membershipChangeProblem({ actorRole: "admin", target: "owner", next: "admin", owners: 2 })?.code).toBe(
      "forbidden:owner",
    );
    expect(membershipChangeProblem({ actorRole: "admin", target: "member", next: "viewer", owners: 1 })).toBeNull();
    expect(membershipChangeProblem({ actorRole: "owner", target: "member", next: "owner", owners: 1 })).toBeNull();
  });

  test("the last owner can't be demoted, removed or leave; one of two can", () => {
    for (const next of ["admin", "viewer", null] as const) {
      expect(membershipChangeProblem({ actorRole: "owner", target: "owner", next, owners: 1 })?.code).toBe(
        "conflict:last_owner",
      );
      expect(membershipChangeProblem({ actorRole: "owner", target: "owner", next, owners: 2 })).toBeNull();
    }
  });
});
