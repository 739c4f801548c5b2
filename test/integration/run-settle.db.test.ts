import { afterEach, expect, test, vi } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { waitForRun } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { listSessionSteps } from "@/lib/db/steps";
import { callRoute } from "../api";
import { testWorkspaceId } from "../workspace";
import { emulatorForFile } from "./emulator-env";

/**
 * Settling a run survives a database blip: the writes that record its end fail a few
 * times (a trigger on the session's own rows, so the real statements fail on both
 * databases and no other test's), are logged as internal database errors and retried,
 * and the run is not left `running`.
 */

emulatorForFile();
const triggers: string[] = [];
afterEach(async () => {
  const { query } = await getDatabase();
  for (const trigger of triggers.splice(0)) await query(`DROP TRIGGER IF EXISTS ${trigger}`, []);
  vi.restoreAllMocks();
});

/** The first `times` updates of `table`'s row(s) of this session that match `condition` fail. */
async function failUpdates(table: "Run" | "Session", sessionId: string, condition: string, times: number) {
  const { query } = await getDatabase();
  const name = `fail_${table.toLowerCase()}_${sessionId.replaceAll("-", "_")}`;
  const key = table === "Run" ? `NEW."sessionId"` : `NEW."id"`;
  await query(`CREATE SEQUENCE IF NOT EXISTS "${name}"`, []);
  await query(
    `CREATE OR REPLACE FUNCTION "${name}"() RETURNS trigger AS $$
     BEGIN
       IF ${key} = '${sessionId}' AND ${condition} AND nextval('"${name}"') <= ${times} THEN
         RAISE EXCEPTION 'injected connection blip';
       END IF;
       RETURN NEW;
     END $$ LANGUAGE plpgsql`,
    [],
  );
  await query(`CREATE TRIGGER "${name}" BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${name}"()`, []);
  triggers.push(`"${name}" ON "${table}"`);
}

test("the run's end and branch are recorded though their writes fail twice; each failure is logged", async () => {
  const { json } = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId: string = json.session.id;
  await failUpdates("Run", sessionId, `NEW."finishedAt" IS NOT NULL`, 2);
  await failUpdates("Session", sessionId, `NEW."activeLeafId" IS DISTINCT FROM OLD."activeLeafId"`, 1);
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});

  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  expect(started.status).toBe(202);
  await waitForRun(started.json.run.id);

  const { prisma } = await getDatabase();
  const run = await prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
  expect(run).toMatchObject({ status: "done", errorCode: null });
  expect(run.finishedAt).not.toBeNull();
  const steps = await listSessionSteps({ sessionId, workspaceId: await testWorkspaceId() });
  const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
  expect(session.activeLeafId).toBe(steps.at(-1)?.id);
  expect(steps.every((step) => step.status === "done")).toBe(true);

  const failures = logged.mock.calls
    .map((call) => String(call[0]))
    .filter((line) => line.includes("internal:database"));
  expect(failures).toHaveLength(3);
  expect(failures.filter((line) => line.includes("record how the run ended"))).toHaveLength(2);
});
