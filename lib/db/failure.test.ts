import { describe, expect, test } from "vitest";
import { databaseFailure } from "./failure";

describe("databaseFailure", () => {
  const url = "postgresql://app%2Downer:s3cr%40t-pw@db.internal:5432/interleave";

  test("keeps the code and the message", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(databaseFailure(error, undefined)).toBe("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1");
  });

  test("removes the connection string, the user and the password, raw and decoded", () => {
    const error = Object.assign(
      new Error(`password authentication failed for user "app-owner" (s3cr@t-pw) at ${url}, app%2Downer`),
      { code: "28P01" },
    );
    const line = databaseFailure(error, url);
    expect(line).toBe(
      '28P01: password authentication failed for user "[redacted]" ([redacted]) at [redacted], [redacted]',
    );
  });

  test("a value that is not an Error, or a URL that doesn't parse", () => {
    expect(databaseFailure("down: not-a-url", "not-a-url")).toBe("down: [redacted]");
    expect(databaseFailure(undefined, undefined)).toBe("undefined");
  });
});
