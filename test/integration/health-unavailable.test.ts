import { expect, test } from "vitest";
import * as health from "@/app/api/health/route";

test("health answers 503 with the reason when the database can't be reached", async () => {
  process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";
  const response = await health.GET(new Request("http://localhost/api/health"), undefined);
  expect(response.status).toBe(503);
  const body = await response.json();
  expect(body.ok).toBe(false);
  expect(body.error.code).toBe("unavailable:database");
  expect(body.error.message).toMatch(/The database can't be reached: .*ECONNREFUSED/);
});
