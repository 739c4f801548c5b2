import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { getDatabase } from "@/lib/db/client";
import type { Emulator } from "@/lib/model/emulator";
import { callRoute } from "../api";

/**
 * A new session that resumes interrupted runs (settings.resumeInterrupted), whose run
 * streams a few chunks of its first step and then stalls (the emulator's stall fault, so
 * the run stays running until the file's MODEL_STALL_TIMEOUT_MS). Answers once the step
 * has text in the write-behind queue: the session, the task step and the run.
 */
export async function startStalledResumableRun(
  emulator: Emulator,
): Promise<{ sessionId: string; taskId: string; runId: string }> {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function [emulator:scenario=sum]", modelId: "MiniMax-M2" },
  });
  const sessionId: string = created.json.session.id;
  await callRoute(sessionRoute.PATCH, {
    method: "PATCH",
    params: { id: sessionId },
    body: { resumeInterrupted: true },
  });
  emulator.setFault({ type: "stall", afterChunks: 8 });
  const started = await callRoute(runsRoute.POST, { method: "POST", params: { id: sessionId }, body: {} });
  const { stepRows } = await getDatabase();
  const deadline = Date.now() + 10_000;
  while (!stepRows.pendingOf(sessionId).some((step) => step.content.length > 0)) {
    if (Date.now() > deadline) throw new Error("the run never streamed");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { sessionId, taskId: created.json.session.activeLeafId, runId: started.json.run.id };
}
