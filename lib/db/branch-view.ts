import "server-only";
import { AppError } from "@/lib/http/errors";
import {
  type BranchOutline,
  OUTLINE_TAIL_STEPS,
  outlineBranch,
  resolveLeaf,
  type StepShape,
} from "@/lib/steps/branch-outline";
import { indexSteps } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { getDatabase } from "./client";
import { AUTHOR_INCLUDE, toRunView, toSessionSummary, toStepNode } from "./mappers";
import { sessionNotFound } from "./sessions";
import { overlayPending } from "./step-rows";
import { getSessionWithTree } from "./steps";

/**
 * What a viewer gets first (the session page, the SSE snapshot, opening a branch): the
 * outline of the branch on screen and the steps at its end whole — not the whole tree,
 * which for a long agent session is megabytes. The rest comes with `getStepsById`.
 */
export interface BranchView {
  session: SessionSummary;
  runs: RunView[];
  branch: BranchOutline;
  /** the last OUTLINE_TAIL_STEPS steps of the path, and the steps those were edited from */
  steps: StepNode[];
}

/** At most this many steps per GET /api/sessions/:id/steps request. */
export const MAX_STEPS_PER_PAGE = 200;

/**
 * The branch view of a session in `workspaceId` (404 `not_found:session` otherwise) for
 * the leaf reached from `leafId` — its latest continuation, or exactly it with `exact` —
 * falling back to the session's active branch when `leafId` is null or not in the session.
 * Reads the tree's shape (ids, parents, kinds, times: no content) and the tail's rows,
 * with the steps the write-behind queue has not written yet laid over them.
 */
export async function getBranchView({
  id,
  workspaceId,
  leafId,
  exact = false,
}: {
  id: string;
  workspaceId: string;
  leafId: string | null;
  exact?: boolean;
}): Promise<BranchView> {
  const { prisma, stepRows } = await getDatabase();
  // Before the rows: a state that leaves the queue meanwhile was written, so the rows have it.
  const live = stepRows.pendingOf(id);
  const [row, shapeRows, runRows] = await Promise.all([
    prisma.session.findFirst({ where: { id, workspaceId } }),
    prisma.step.findMany({
      where: { sessionId: id, session: { workspaceId } },
      select: { id: true, parentId: true, kind: true, createdAt: true, editedFromId: true },
      orderBy: { createdAt: "asc" },
    }),
    prisma.run.findMany({
      where: { sessionId: id, session: { workspaceId } },
      include: AUTHOR_INCLUDE,
      orderBy: { createdAt: "asc" },
    }),
  ]);
  if (!row) throw sessionNotFound();
  const shapes = new Map<string, StepShape & { editedFromId: string | null }>();
  for (const shape of shapeRows) {
    shapes.set(shape.id, { ...shape, kind: shape.kind as StepShape["kind"], createdAt: shape.createdAt.toISOString() });
  }
  for (const step of live) shapes.set(step.id, step);
  const index = indexSteps([...shapes.values()]);
  const session = toSessionSummary(row);
  const leaf = resolveLeaf(index, leafId, { exact, fallback: session.activeLeafId });
  const branch = outlineBranch(index, leaf);

  const tail = branch.path.slice(-OUTLINE_TAIL_STEPS);
  const wanted = new Set(tail);
  for (const stepId of tail) {
    const original = shapes.get(stepId)?.editedFromId;
    if (original) wanted.add(original);
  }
  const steps = await readSteps(id, workspaceId, [...wanted], live);
  // Path order first, so a reader that shows them as they come gets the branch in order.
  const order = new Map(branch.path.map((stepId, i) => [stepId, i]));
  steps.sort((a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1));
  return { session, runs: runRows.map(toRunView), branch, steps };
}

/** Steps by id, rows with the queue's newer states over them (`live`, taken before the rows). */
async function readSteps(
  sessionId: string,
  workspaceId: string,
  ids: readonly string[],
  live: readonly StepNode[],
): Promise<StepNode[]> {
  if (ids.length === 0) return [];
  const { prisma } = await getDatabase();
  const rows = await prisma.step.findMany({
    where: { sessionId, session: { workspaceId }, id: { in: [...ids] } },
    include: AUTHOR_INCLUDE,
  });
  const wanted = new Set(ids);
  return overlayPending(
    rows.map(toStepNode),
    live.filter((step) => wanted.has(step.id)),
  );
}

/**
 * Steps of a session in `workspaceId` by id (at most MAX_STEPS_PER_PAGE, else 400
 * `bad_request:ids`), with the steps they were edited from; ids that are not steps of
 * that session in that workspace are left out.
 */
export async function getStepsById({
  id,
  workspaceId,
  ids,
}: {
  id: string;
  workspaceId: string;
  ids: readonly string[];
}): Promise<StepNode[]> {
  if (ids.length > MAX_STEPS_PER_PAGE) {
    throw new AppError("bad_request:ids", `Ask for at most ${MAX_STEPS_PER_PAGE} steps at a time.`);
  }
  const { stepRows } = await getDatabase();
  const live = stepRows.pendingOf(id);
  const steps = await readSteps(id, workspaceId, ids, live);
  const have = new Set(steps.map((step) => step.id));
  const originals = [
    ...new Set(steps.flatMap((step) => (step.editedFromId && !have.has(step.editedFromId) ? [step.editedFromId] : []))),
  ];
  return originals.length > 0 ? steps.concat(await readSteps(id, workspaceId, originals, live)) : steps;
}

/**
 * The snapshot for a branch share link: the whole tree (lib/realtime/share-view.ts keeps
 * only the shared path and what grows below it) with the outline of the shared branch,
 * without its forks — the alternatives are not the link's to see.
 */
export async function getSharedBranchSnapshot({
  id,
  workspaceId,
  leafId,
}: {
  id: string;
  workspaceId: string;
  leafId: string;
}): Promise<BranchView> {
  const tree = await getSessionWithTree({ id, workspaceId });
  const index = indexSteps(tree.steps);
  const outline = outlineBranch(index, resolveLeaf(index, leafId, { fallback: tree.session.activeLeafId }));
  return { ...tree, branch: { ...outline, forks: {}, branchCount: 1 } };
}
