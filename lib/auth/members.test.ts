import { describe, expect, test } from "vitest";
import { invitationEmailProblem, membershipChangeProblem } from "./members";

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

describe("invitationEmailProblem", () => {
  const account = { email: "ada@example.com", guest: false, emailVerified: true };
  test("without mail, or for an invitation to anyone, nothing is checked", () => {
    expect(invitationEmailProblem({ invitedEmail: "bob@example.com", account, mailOn: false })).toBeNull();
    expect(
      invitationEmailProblem({ invitedEmail: null, account: { ...account, guest: true }, mailOn: true }),
    ).toBeNull();
  });
  test("with mail: the account's own confirmed address (case aside) accepts; another, a guest or an unconfirmed one is a 403", () => {
    expect(invitationEmailProblem({ invitedEmail: "Ada@Example.com", account, mailOn: true })).toBeNull();
    const other = invitationEmailProblem({ invitedEmail: "bob@example.com", account, mailOn: true });
    expect(other?.code).toBe("forbidden:invitation_email");
    expect(other?.message).toContain("This invitation is for bob@example.com");
    expect(
      invitationEmailProblem({ invitedEmail: "ada@example.com", account: { ...account, guest: true }, mailOn: true })
        ?.code,
    ).toBe("forbidden:invitation_email");
    const unconfirmed = invitationEmailProblem({
      invitedEmail: "ada@example.com",
      account: { ...account, emailVerified: false },
      mailOn: true,
    });
    expect(unconfirmed?.message).toMatch(/^Confirm ada@example.com first/);
  });
});
