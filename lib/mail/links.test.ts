import { expect, test } from "vitest";
import { appOrigin, landingOn } from "./links";

test("links start at AUTH_URL when set, else at the Host the request was sent to", () => {
  const request = { requestUrl: "http://localhost:3000/api/workspace/invitations", forwardedProto: null };
  expect(appOrigin({ ...request, authUrl: "https://interleave.example.com/", host: "10.0.0.5:3000" })).toBe(
    "https://interleave.example.com",
  );
  expect(appOrigin({ ...request, authUrl: undefined, host: "127.0.0.1:3111" })).toBe("http://127.0.0.1:3111");
  expect(appOrigin({ ...request, authUrl: undefined, host: null })).toBe("http://localhost:3000");
  expect(
    appOrigin({ ...request, authUrl: undefined, host: "interleave.example.com", forwardedProto: "https, http" }),
  ).toBe("https://interleave.example.com");
  expect(appOrigin({ ...request, authUrl: undefined, host: "x.example", forwardedProto: "gopher" })).toBe(
    "http://x.example",
  );
  expect(appOrigin({ ...request, authUrl: undefined, host: "a b" })).toBe("http://localhost:3000");
});

test("a mailed better-auth link lands on the app's own page, whatever callback the client asked for", () => {
  expect(landingOn("http://localhost:3000/api/auth/verify-email?token=a.b.c&callbackURL=%2F", "/verify-email")).toBe(
    "http://localhost:3000/api/auth/verify-email?token=a.b.c&callbackURL=%2Fverify-email",
  );
  expect(landingOn("https://x.example/api/auth/reset-password/tok?callbackURL=", "/reset-password")).toBe(
    "https://x.example/api/auth/reset-password/tok?callbackURL=%2Freset-password",
  );
});
