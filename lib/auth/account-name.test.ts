import { describe, expect, test } from "vitest";
import { accountNameProblem, MAX_ACCOUNT_NAME_LENGTH, namesAccount } from "./account-name";

describe("accountNameProblem", () => {
  const long = "a".repeat(MAX_ACCOUNT_NAME_LENGTH + 1);

  test("sign-up and update-user name the account; sign-in doesn't", () => {
    expect(namesAccount("/api/auth/sign-up/email")).toBe(true);
    expect(namesAccount("/api/auth/update-user")).toBe(true);
    expect(namesAccount("/api/auth/sign-in/email")).toBe(false);
  });

  test("a name past the limit is a 400 saying the limit", () => {
    const problem = accountNameProblem({ name: long, email: "a@example.com" });
    expect(problem?.status).toBe(400);
    expect(problem?.message).toBe("Keep the name under 80 characters (this one has 81).");
  });

  test("names up to the limit and bodies without a name pass", () => {
    expect(accountNameProblem({ name: "a".repeat(MAX_ACCOUNT_NAME_LENGTH) })).toBeNull();
    expect(accountNameProblem({ image: null })).toBeNull();
    expect(accountNameProblem(null)).toBeNull();
  });
});
