import { expect, test } from "vitest";
import { mailFailure } from "./failure";

test("a failure is described from its codes only: no message, reply text or credentials", () => {
  const auth = Object.assign(new Error("Invalid login: 535 for ada:s3cret"), {
    code: "EAUTH",
    responseCode: 535,
    response: "535 5.7.8 ada:s3cret rejected",
    command: "AUTH PLAIN YWRhAHMzY3JldA==",
  });
  expect(mailFailure(auth)).toBe(
    "The mail server refused to sign in: check the user and password in SMTP_URL (SMTP 535).",
  );
  expect(mailFailure(auth)).not.toMatch(/s3cret|YWRh/);
  expect(mailFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET" }))).toMatch(
    /could not be reached/,
  );
  expect(mailFailure(Object.assign(new Error("x"), { code: "EENVELOPE", responseCode: 550 }))).toBe(
    "The mail server refused the sender or the recipient's address (SMTP 550).",
  );
  expect(mailFailure(new Error("anything"))).toBe("The mail server did not accept the mail.");
  expect(mailFailure(undefined)).toBe("The mail server did not accept the mail.");
});
