import { describe, expect, test } from "vitest";
import * as health from "@/app/api/health/route";
import * as one from "@/app/api/sessions/[id]/route";
import * as collection from "@/app/api/sessions/route";
import { getDatabase } from "@/lib/db/client";
import { callRoute } from "../api";
import { asTestUser } from "../auth";

describe("health", () => {
  test("reports the database kind, the applied migrations and the project limits, nothing more", async () => {
    const { status, json } = await callRoute(health.GET, {});
    expect(status).toBe(200);
    expect(json.ok).toBe(true);
    expect(json.database).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
    expect(json.migrations).toBeGreaterThanOrEqual(1);
    // the defaults (PROJECT_MAX_BYTES, PROJECT_MAX_FILES): what the CLI checks --files against
    expect(json.projectLimits).toEqual({ maxBytes: 20 * 1024 * 1024, maxFiles: 2000 });
    expect(Object.keys(json).sort()).toEqual(["database", "migrations", "ok", "projectLimits"]);
  });
});

describe("sessions API", () => {
  test("create → list (newest first) → get → rename → delete", async () => {
    const first = await callRoute(collection.POST, { method: "POST", body: { task: "Write fizzbuzz in TypeScript" } });
    expect(first.status).toBe(201);
    expect(first.json.session.title).toBe("Write fizzbuzz in TypeScript");
    expect(first.json.session.settings.maxTurns).toBe(25);
    expect(first.json.session.activeLeafId).toBeTruthy();
    const second = await callRoute(collection.POST, {
      method: "POST",
      body: { task: "Second task\nwith details", maxTurns: 5 },
    });
    expect(second.json.session.title).toBe("Second task");

    const list = await callRoute(collection.GET, {});
    const ids = list.json.sessions.map((s: { id: string }) => s.id);
    expect(ids.indexOf(second.json.session.id)).toBeLessThan(ids.indexOf(first.json.session.id));

    const id = first.json.session.id;
    const got = await callRoute(one.GET, { params: { id } });
    expect(got.status).toBe(200);
    expect(got.json.session.id).toBe(id);

    const renamed = await callRoute(one.PATCH, { method: "PATCH", params: { id }, body: { title: "  FizzBuzz  " } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.session.title).toBe("FizzBuzz");

    const deleted = await callRoute(one.DELETE, { method: "DELETE", params: { id } });
    expect(deleted.status).toBe(204);
    expect((await callRoute(one.GET, { params: { id } })).status).toBe(404);
  });

  test("the task becomes the root step of the session", async () => {
    const { json } = await callRoute(collection.POST, { method: "POST", body: { task: "Root step please" } });
    const { prisma } = await getDatabase();
    const steps = await prisma.step.findMany({ where: { sessionId: json.session.id } });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ kind: "task", origin: "human", parentId: null, content: "Root step please" });
    expect(json.session.activeLeafId).toBe(steps[0]?.id);
  });

  test.each([
    ["an empty task", { task: "   " }, /can't be empty/],
    ["a task over 20,000 characters", { task: "x".repeat(20_001) }, /under 20,000 characters/],
    ["a missing task", {}, /task/],
    ["an unknown model", { task: "ok", modelId: "gpt-nope" }, /Unknown model/],
    ["max turns out of range", { task: "ok", maxTurns: 0 }, /at least 1/],
  ])("rejects %s with 400 and a readable message", async (_name, body, message) => {
    const { status, json } = await callRoute(collection.POST, { method: "POST", body });
    expect(status).toBe(400);
    expect(json.error.code).toMatch(/^bad_request:/);
    expect(json.error.message).toMatch(message);
  });

  test("malformed JSON is a 400, not a crash", async () => {
    const { status, json } = await callRoute(collection.POST, { method: "POST", rawBody: "{task: nope" });
    expect(status).toBe(400);
    expect(json.error).toEqual({ code: "bad_request:json", message: "The request body is not valid JSON." });
  });

  test("unknown ids are 404 on get, rename and delete", async () => {
    for (const [handler, method, body] of [
      [one.GET, "GET", undefined],
      [one.PATCH, "PATCH", { title: "x" }],
      [one.DELETE, "DELETE", undefined],
    ] as const) {
      const { status, json } = await callRoute(handler, { method, params: { id: "nope" }, body });
      expect(status).toBe(404);
      expect(json.error.code).toBe("not_found:session");
    }
  });

  test("rename rejects an empty title", async () => {
    const { json: created } = await callRoute(collection.POST, { method: "POST", body: { task: "t" } });
    const { status, json } = await callRoute(one.PATCH, {
      method: "PATCH",
      params: { id: created.session.id },
      body: { title: " " },
    });
    expect(status).toBe(400);
    expect(json.error.message).toMatch(/title can't be empty/);
  });
  test("switching the branch on screen: only a step of this session", async () => {
    const { json: a } = await callRoute(collection.POST, { method: "POST", body: { task: "a" } });
    const { json: b } = await callRoute(collection.POST, { method: "POST", body: { task: "b" } });
    const own = await callRoute(one.PATCH, {
      method: "PATCH",
      params: { id: a.session.id },
      body: { activeLeafId: a.session.activeLeafId },
    });
    expect(own.status).toBe(200);
    for (const activeLeafId of ["nope", b.session.activeLeafId]) {
      const { status, json } = await callRoute(one.PATCH, {
        method: "PATCH",
        params: { id: a.session.id },
        body: { activeLeafId },
      });
      expect(status).toBe(404);
      expect(json.error.code).toBe("not_found:step");
    }
  });

  test("PATCH changes only the fields sent: every other field keeps its value", async () => {
    const { json: created } = await callRoute(collection.POST, {
      method: "POST",
      body: { task: "Keep my settings", maxTurns: 7 },
    });
    const id = created.session.id;
    const read = async () => (await callRoute(one.GET, { params: { id } })).json.session;
    const before = await read();
    expect(before.settings.maxTurns).toBe(7);

    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ title: "Renamed" }, { title: "Renamed" }],
      [{ maxTurns: 12 }, { settings: { ...before.settings, maxTurns: 12 } }],
      [{ activeLeafId: before.activeLeafId }, {}],
    ];
    let expected = before;
    for (const [body, changed] of cases) {
      const patched = await callRoute(one.PATCH, { method: "PATCH", params: { id }, body });
      expect(patched.status).toBe(200);
      expected = { ...expected, ...changed };
      const { updatedAt: _a, ...now } = await read();
      const { updatedAt: _b, ...want } = expected;
      expect(now, `after PATCH ${JSON.stringify(body)}`).toEqual(want);
    }
  });

  test.each([
    ["an empty body", {}],
    ["only unknown fields", { colour: "red" }],
  ])("PATCH with %s is a 400 and changes nothing", async (_name, body) => {
    const { json: created } = await callRoute(collection.POST, { method: "POST", body: { task: "t", maxTurns: 9 } });
    const id = created.session.id;
    const { status, json } = await callRoute(one.PATCH, { method: "PATCH", params: { id }, body });
    expect(status).toBe(400);
    expect(json.error.message).toMatch(/Nothing to update/);
    expect((await callRoute(one.GET, { params: { id } })).json.session.settings.maxTurns).toBe(9);
  });

  test.each([
    ["a NUL", "Write\\u0000fizzbuzz", /task: The text contains a NUL character/],
    ["a lone surrogate", "Write \\ud800 fizzbuzz", /task: The text contains a lone surrogate/],
  ])("a task with %s is a clear 400, not a database error", async (_name, task, message) => {
    const { status, json } = await callRoute(collection.POST, { method: "POST", rawBody: `{"task":"${task}"}` });
    expect(status).toBe(400);
    expect(json.error.code).toBe("bad_request:text");
    expect(json.error.message).toMatch(message);
  });

  test("a NUL in the URL id or the title is a 400", async () => {
    const { json: created } = await callRoute(collection.POST, { method: "POST", body: { task: "t" } });
    const byId = await callRoute(one.GET, { params: { id: "abc\u0000" } });
    expect(byId.status).toBe(400);
    expect(byId.json.error.code).toBe("bad_request:id");
    const title = await callRoute(one.PATCH, {
      method: "PATCH",
      params: { id: created.session.id },
      body: { title: "a\u0000b" },
    });
    expect(title.status).toBe(400);
    expect(title.json.error.message).toMatch(/^title: /);
  });

  test("an unknown megabyte modelId is refused without being echoed", async () => {
    const modelId = "m".repeat(1_000_000);
    const { status, json, response } = await callRoute(collection.POST, {
      method: "POST",
      body: { task: "t", modelId },
    });
    expect(status).toBe(400);
    expect(JSON.stringify(json).length).toBeLessThan(1_000);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const unknown = await callRoute(collection.POST, { method: "POST", body: { task: "t", modelId: "n".repeat(150) } });
    expect(unknown.json.error.message).toMatch(/^Unknown model "n{40}…"/);
  });

  test("a body that is not declared JSON is a 415", async () => {
    const response = await collection.POST(
      await asTestUser(
        new Request("http://localhost/api/sessions", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ task: "from a form" }),
        }),
      ),
      undefined,
    );
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe("unsupported_media_type:body");
  });
});
