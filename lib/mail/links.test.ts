import { expect, test } from "vitest";
import { appOrigin, landingOn } from "./links";

test("links start at AUTH_URL when set, else at the request's own origin", () => {
  expect(appOrigin({ authUrl: "https://interleave.example.com/", requestUrl: "http://10.0.0.5:3000/api/x" })).toBe(
    "https://interleave.example.com",
  );
  expect(appOrigin({ authUrl: undefined, requestUrl: "http://localhost:3000/api/workspace/invitations" })).toBe(
    "http://localhost:3000",
  );
});

test("a mailed better-auth link lands on the app's own page, whatever callback the client asked for", () => {
  expect(landingOn("http://localhost:3000/api/auth/verify-email?token=a.b.c&callbackURL=%2F", "/verify-email")).toBe(
    "http://localhost:3000/api/auth/verify-email?token=a.b.c&callbackURL=%2Fverify-email",
  );
  expect(landingOn("https://x.example/api/auth/reset-password/tok?callbackURL=", "/reset-password")).toBe(
    "https://x.example/api/auth/reset-password/tok?callbackURL=%2Freset-password",
  );
});
