import { expect, test } from "vitest";
import { scopesOf } from "@/lib/auth/scopes";
import { queueKindsOf } from "./queue-kinds";

test("each role's queue holds what it can act on: a viewer only open comment threads", () => {
  const all = { branches: true, approvals: true, comments: true };
  expect(queueKindsOf({ scopes: scopesOf("owner") })).toEqual(all);
  expect(queueKindsOf({ scopes: scopesOf("admin") })).toEqual(all);
  expect(queueKindsOf({ scopes: scopesOf("member") })).toEqual(all);
  expect(queueKindsOf({ scopes: scopesOf("viewer") })).toEqual({ branches: false, approvals: false, comments: true });
});
