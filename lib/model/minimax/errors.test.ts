import { describe, expect, it } from "vitest";
import { baseRespError, classify, httpError, ModelCallError, type UpstreamFailure } from "./errors";

const envelope = (type: string, message: string, status: number) =>
  JSON.stringify({ type: "error", error: { type, message, http_code: String(status) }, request_id: "0217aa" });

describe("httpError", () => {
  const cases: [number, string, string, ModelCallError["code"], number][] = [
    [401, "authorized_error", "invalid api key (2049)", "auth", 2049],
    [402, "insufficient_balance_error", "insufficient balance (1008)", "payment", 1008],
    [
      400,
      "bad_request_error",
      "invalid params, invalid function arguments json string, tool_call_id: call_1 (2013)",
      "bad_request",
      2013,
    ],
    [422, "unprocessable_entity_error", "input new_sensitive (1026)", "content_filter", 1026],
    [429, "rate_limit_error", "rate limit, please retry later (1002)", "rate_limit", 1002],
    [500, "server_error", "unknown error (1000)", "server", 1000],
    [529, "overloaded_error", "overloaded, please retry later (1000)", "overloaded", 1000],
  ];
  for (const [status, type, message, code, providerCode] of cases) {
    it(`${status} ${type} → ${code}`, () => {
      const error = httpError(status, envelope(type, message, status));
      expect(error).toBeInstanceOf(ModelCallError);
      expect(error).toMatchObject({ code, status });
      expect(error.message).toContain(`code ${providerCode}`);
    });
  }

  it("writes a sentence a person can act on", () => {
    expect(httpError(401, envelope("authorized_error", "invalid api key (2049)", 401)).message).toMatch(
      /^MiniMax rejected the API key \(401, code 2049\)\. Check MINIMAX_API_KEY/,
    );
    expect(
      httpError(400, envelope("bad_request_error", "invalid params, tool_call_id: call_1 (2013)", 400)).message,
    ).toBe("MiniMax rejected the request as invalid (400, code 2013): invalid params, tool_call_id: call_1.");
  });

  it("copes with a body that is not JSON", () => {
    expect(httpError(502, "<html>Bad gateway</html>")).toMatchObject({ code: "server", status: 502 });
  });
});

describe("baseRespError", () => {
  it("is undefined for status_code 0", () => {
    expect(baseRespError({ base_resp: { status_code: 0, status_msg: "" } })).toBeUndefined();
  });

  it("classifies the legacy HTTP-200 envelope by its code", () => {
    expect(baseRespError({ base_resp: { status_code: 1004, status_msg: "login fail: …" } })).toMatchObject({
      code: "auth",
      message: expect.stringContaining("code 1004"),
    });
    expect(baseRespError({ base_resp: { status_code: 1039, status_msg: "token limit" } })).toMatchObject({
      code: "rate_limit",
    });
    expect(baseRespError({ base_resp: { status_code: 9999, status_msg: "odd" } })).toMatchObject({
      code: "upstream",
      message: "MiniMax returned an error (code 9999): odd.",
    });
  });
});

describe("classify: MiniMax's own code first", () => {
  const table: [UpstreamFailure, ModelCallError["code"]][] = [
    // the reported case: a payment problem dressed as an internal error
    [{ status: 500, errorType: "api_error", providerCode: 1008 }, "payment"],
    [{ status: 500, errorType: "server_error", providerCode: 1004 }, "auth"],
    [{ status: 500, errorType: "api_error", providerCode: 1002 }, "rate_limit"],
    [{ status: 400, errorType: "api_error", providerCode: 2056 }, "rate_limit"],
    [{ status: 500, errorType: "api_error", providerCode: 2013 }, "bad_request"],
    [{ status: 500, providerCode: 1027 }, "content_filter"],
    [{ status: 200, providerCode: 2049 }, "auth"],
    // generic codes and types give way to something more specific
    [{ status: 529, errorType: "overloaded_error", providerCode: 1000 }, "overloaded"],
    [{ status: 529, errorType: "api_error", providerCode: 1000 }, "overloaded"],
    [{ status: 429, errorType: "api_error", providerCode: 1024 }, "rate_limit"],
    [{ status: 500, errorType: "api_error", providerCode: 1000 }, "server"],
    [{ status: 200, providerCode: 1001 }, "server"],
    // without a code: a specific type, then the status
    [{ status: 500, errorType: "insufficient_balance_error" }, "payment"],
    [{ status: 402 }, "payment"],
    [{ status: 500, errorType: "api_error" }, "server"],
    [{ status: 200, providerCode: 4242 }, "upstream"],
    [{}, "upstream"],
  ];
  for (const [failure, code] of table) {
    it(`${JSON.stringify(failure)} → ${code}`, () => {
      expect(classify(failure)).toBe(code);
    });
  }

  it("tells a person with an empty balance what to do, even behind HTTP 500", () => {
    const error = httpError(500, envelope("api_error", "insufficient balance (1008)", 500));
    expect(error).toMatchObject({ code: "payment", status: 500 });
    expect(error.message).toMatch(/balance is insufficient \(500, code 1008\)\. This is a billing problem/);
    expect(error.message).toMatch(/top up the balance/);
    expect(error.message).not.toMatch(/internal error|Try again/);
  });

  it("reads the code from the legacy base_resp envelope on a 200 stream too", () => {
    expect(baseRespError({ base_resp: { status_code: 1008, status_msg: "insufficient balance" } }, 200)).toMatchObject({
      code: "payment",
      message: expect.stringContaining("code 1008"),
    });
  });
});
