import { beforeEach, describe, expect, test } from "vitest";
import * as exporter from "@/app/api/sessions/[id]/export/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as importer from "@/app/api/sessions/import/route";
import * as collection from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { listSessionSteps } from "@/lib/db/steps";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { emulatorForFile } from "./emulator-env";

/**
 * Starting files reach the model, and an exported session imported elsewhere sends
 * MiniMax the same request when regenerated: the emulator's request record is compared
 * byte for byte. The Anthropic route, where thinking signatures must survive the trip.
 */

const emulator = emulatorForFile();
beforeEach(() => emulator().reset());

const SUM = "export function sum(a, b) {\n  return a + b;\n}\n";

async function createWithFiles(task: string): Promise<{ id: string }> {
  const form = new FormData();
  form.set("task", task);
  form.set("modelId", "MiniMax-M2");
  form.append("file", new Blob([SUM]), "sum.ts");
  form.append("path", "src/sum.ts");
  const response = await collection.POST(
    await asTestUser(new Request("http://localhost/api/sessions", { method: "POST", body: form })),
    undefined as never,
  );
  expect(response.status).toBe(201);
  return (await response.json()).session;
}

async function runFrom(sessionId: string, fromStepId?: string): Promise<void> {
  const { status, json } = await callRoute(runsRoute.POST, {
    method: "POST",
    params: { id: sessionId },
    body: fromStepId ? { fromStepId } : {},
  });
  expect(status).toBe(202);
  await waitForRun(json.run.id);
  const { prisma } = await getDatabase();
  expect((await prisma.run.findUniqueOrThrow({ where: { id: json.run.id } })).status).toBe("done");
}

async function activePath(sessionId: string): Promise<StepNode[]> {
  const { prisma } = await getDatabase();
  const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
  return pathTo(
    indexSteps(await listSessionSteps({ sessionId, workspaceId: session.workspaceId })),
    session.activeLeafId ?? "",
  );
}

describe("starting files and import through the emulator", () => {
  test("the first request lists the starting files; an imported copy regenerates with the identical request", async () => {
    const session = await createWithFiles("Add types to the sum [emulator:scenario=sum]");
    await runFrom(session.id);
    const first = JSON.stringify(emulator().requests[0]?.body);
    expect(first).toContain("The project already has 1 file");
    expect(first).toContain("export function sum(a, b)");

    // Regenerate the original from its second tool result (mid-branch, after a signed/raw turn).
    const path = await activePath(session.id);
    const from = path.filter((step) => step.kind === "tool_result")[1] as StepNode;
    const at = path.indexOf(from);
    emulator().reset();
    await runFrom(session.id, from.id);
    const original = emulator().requests[0]?.body;
    expect(JSON.stringify(original)).toContain('"signature"');

    const exported = await (
      await exporter.GET(await asTestUser(new Request("http://localhost/")), {
        params: Promise.resolve({ id: session.id }),
      })
    ).text();
    const imported = await callRoute(importer.POST, { method: "POST", rawBody: exported });
    expect(imported.status).toBe(201);
    const copyPath = await activePath(imported.json.session.id);
    const copyFrom = copyPath[at] as StepNode;
    expect(copyFrom.kind).toBe("tool_result");
    emulator().reset();
    await runFrom(imported.json.session.id, copyFrom.id);
    expect(emulator().requests[0]?.body).toEqual(original);
  });
});
