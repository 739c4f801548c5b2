import { afterAll, expect, test, vi } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as editRoute from "@/app/api/sessions/[id]/steps/[stepId]/edit/route";
import { stopSessionRuns } from "@/lib/agent/run";
import type { Scope } from "@/lib/auth/scopes";
import { getPrisma } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import { callRoute } from "../api";

/**
 * "Save & regenerate" is two requests: the edit (`steps:edit`) and a run from it
 * (`runs:start`). No built-in role holds one without the other, so this test resolves its
 * caller with `steps:edit` and without `runs:start` (a role a later scope table might
 * have): the edit is saved, the run is refused with 403 `forbidden:scope` and none starts.
 */

vi.mock("@/lib/http/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/http/caller")>();
  return {
    ...original,
    resolveCaller: async (request: Request) => {
      const caller = await original.resolveCaller(request);
      if (!caller) return caller;
      const scopes = new Set<Scope>(caller.scopes);
      scopes.delete("runs:start");
      return { ...caller, scopes };
    },
  };
});

const sessionIds: string[] = [];

afterAll(async () => {
  await Promise.all(sessionIds.map((id) => stopSessionRuns(id)));
});

test("an editor without runs:start saves the edit but can't regenerate from it", async () => {
  const account = await callRoute((await import("@/app/api/account/route")).GET, {});
  expect(account.status).toBe(200);
  const session = await createSession({
    workspaceId: account.json.workspace.id,
    task: "Write a slugify function.",
    modelId: "offline-demo",
    settings: { maxTurns: 1 },
  });
  sessionIds.push(session.id);
  const taskStepId = session.activeLeafId as string;

  const edit = await callRoute(editRoute.POST, {
    method: "POST",
    params: { id: session.id, stepId: taskStepId },
    body: { content: "Write a slugify function that keeps digits." },
  });
  expect(edit.status).toBe(201);

  const run = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: session.id },
    body: { fromStepId: edit.json.step.id },
  });
  expect(run.status).toBe(403);
  expect(run.json.error.code).toBe("forbidden:scope");
  expect(run.json.error.message).toContain("runs:start");
  const prisma = await getPrisma();
  expect(await prisma.run.count({ where: { sessionId: session.id } })).toBe(0);
});
