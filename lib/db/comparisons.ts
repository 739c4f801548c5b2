import "server-only";
import { randomUUID } from "node:crypto";
import { runStats } from "@/lib/compare/stats";
import { AppError } from "@/lib/http/errors";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { Comparison, ComparisonEntry } from "@/lib/wire/compare";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { getPrisma } from "./client";
import { createSession } from "./sessions";
import { getSessionWithTree } from "./steps";

/**
 * Compare: one task started on 2–4 models at once. Each model's run is an ordinary
 * session (its own tree, branches, edits, files — everything a session can do), and the
 * sessions share a `comparisonId`; a comparison has no row of its own. Scoped by workspace.
 */

/** Creates one session per model, in the order given, all sharing a new comparison id. */
export async function createComparisonSessions({
  workspaceId,
  task,
  modelIds,
  maxTurns,
}: {
  workspaceId: string;
  task: string;
  modelIds: readonly string[];
  maxTurns: number;
}): Promise<{ id: string; sessions: SessionSummary[] }> {
  const id = randomUUID();
  const sessions: SessionSummary[] = [];
  for (const modelId of modelIds) {
    sessions.push(await createSession({ workspaceId, task, modelId, settings: { maxTurns }, comparisonId: id }));
  }
  return { id, sessions };
}

/**
 * A comparison's sessions in the order they were started. `isPriced(modelId)` says whether
 * a model has a known price (else its cost is null, "—"). Not found → 404 AppError.
 */
export async function loadComparison({
  workspaceId,
  id,
  isPriced,
}: {
  workspaceId: string;
  id: string;
  isPriced: (modelId: string) => boolean;
}): Promise<Comparison> {
  const prisma = await getPrisma();
  const rows = await prisma.session.findMany({
    where: { workspaceId, comparisonId: id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (rows.length === 0)
    throw new AppError("not_found:comparison", "This comparison doesn't exist, or its sessions were deleted.");
  const entries = await Promise.all(
    rows.map(async ({ id: sessionId }) => {
      const { session, steps, runs } = await getSessionWithTree({ id: sessionId, workspaceId });
      const path = session.activeLeafId ? pathTo(indexSteps(steps), session.activeLeafId) : steps.slice(0, 1);
      const run = runs.reduce<RunView | null>(
        (latest, r) => (!latest || r.createdAt > latest.createdAt ? r : latest),
        null,
      );
      return { session, path, run, stats: runStats(path, run, isPriced(session.modelId)) };
    }),
  );
  const first = entries[0] as ComparisonEntry;
  return { id, task: first.path[0]?.content ?? first.session.title, createdAt: first.session.createdAt, entries };
}
