import { afterEach, expect, test, vi } from "vitest";
import * as health from "@/app/api/health/route";

afterEach(() => {
  vi.restoreAllMocks();
});

test("health answers 503 with a generic reason; the log says why, without the connection's user and password", async () => {
  process.env.DATABASE_URL = "postgresql://dbowner:hunter2-secret@127.0.0.1:1/unreachable";
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const response = await health.GET(new Request("http://localhost/api/health"), undefined);
  expect(response.status).toBe(503);
  const body = await response.json();
  expect(body).toEqual({
    ok: false,
    error: { code: "unavailable:database", message: "The database can't be reached. The server's log says why." },
  });
  const log = logged.mock.calls.map((call) => call.map(String).join(" ")).join("\n");
  expect(log).toMatch(/\[health\] the database can't be reached: .*ECONNREFUSED/);
  expect(log).not.toMatch(/hunter2|dbowner/);
});
