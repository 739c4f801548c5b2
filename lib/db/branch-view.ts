import "server-only";
import type { Caller } from "@/lib/auth/scopes";
import { AppError } from "@/lib/http/errors";
import { sharedPart, withSharedSteps } from "@/lib/realtime/share-view";
import {
  type BranchOutline,
  OUTLINE_TAIL_STEPS,
  outlineBranch,
  resolveLeaf,
  type StepShape,
} from "@/lib/steps/branch-outline";
import { indexSteps } from "@/lib/steps/tree";
import type { StepKind, StepNode } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { getDatabase } from "./client";
import { AUTHOR_INCLUDE, RUN_INCLUDE, toRunView, toSessionSummary, toStepNode } from "./mappers";
import { sessionNotFound } from "./sessions";
import type { RawQuery } from "./sql";
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
 * Reads the branch's outline in one statement (`readOutline`, never the whole tree's
 * shape) and the tail's rows, with the steps the write-behind queue has not written yet
 * laid over them. `sharedLeafId` (a branch share link's viewer): only what that link
 * shows (`getSharedBranchView`).
 */
export async function getBranchView({
  id,
  workspaceId,
  leafId,
  exact = false,
  sharedLeafId = null,
}: {
  id: string;
  workspaceId: string;
  leafId: string | null;
  exact?: boolean;
  sharedLeafId?: string | null;
}): Promise<BranchView> {
  if (sharedLeafId) return getSharedBranchView({ id, workspaceId, leafId, exact, sharedLeafId });
  const { prisma, query, stepRows } = await getDatabase();
  // Before the rows: a state that leaves the queue meanwhile was written, so the rows have it.
  const live = stepRows.pendingOf(id);
  const [row, outline, runRows] = await Promise.all([
    prisma.session.findFirst({ where: { id, workspaceId } }),
    readOutline(query, { sessionId: id, workspaceId, leafId, exact, live }),
    prisma.run.findMany({
      where: { sessionId: id, session: { workspaceId } },
      include: RUN_INCLUDE,
      orderBy: { createdAt: "asc" },
    }),
  ]);
  if (!row || !outline) throw sessionNotFound();
  const { branch, editedFrom } = outline;

  const tail = branch.path.slice(-OUTLINE_TAIL_STEPS);
  const wanted = new Set([...tail, ...editedFrom]);
  const steps = await readSteps(id, workspaceId, [...wanted], live);
  // Path order first, so a reader that shows them as they come gets the branch in order.
  const order = new Map(branch.path.map((stepId, i) => [stepId, i]));
  steps.sort((a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1));
  return { session: toSessionSummary(row), runs: runRows.map(toRunView), branch, steps };
}

/**
 * `getBranchView` as `caller` may read it: a share link's caller (the share page, a
 * session page or `…/branch` opened with its token) gets only what the link shows (its
 * branch, or the whole tree), and the steps without their authors' user ids
 * (`withSharedSteps`: a share link's audience is outside the workspace; it has the names).
 */
export async function getCallerBranchView(
  caller: Pick<Caller, "workspaceId" | "share">,
  { id, leafId, exact = false }: { id: string; leafId: string | null; exact?: boolean },
): Promise<BranchView> {
  const { workspaceId, share } = caller;
  if (!share) return getBranchView({ id, workspaceId, leafId, exact });
  return withSharedSteps(await getBranchView({ id, workspaceId, leafId, exact, sharedLeafId: share.leafId }));
}

/**
 * The branch view for a branch share link's viewer: the tree is only what the link shows
 * (lib/realtime/share-view.ts: the path to `sharedLeafId` and what grew below it), so the
 * outline, its forks and the runs never reach beyond it, and the branch falls back to the
 * shared one. Reads the tree's shape (no content), since what the link shows is a
 * subtree, not one path.
 */
async function getSharedBranchView({
  id,
  workspaceId,
  leafId,
  exact,
  sharedLeafId,
}: {
  id: string;
  workspaceId: string;
  leafId: string | null;
  exact: boolean;
  sharedLeafId: string;
}): Promise<BranchView> {
  const { prisma, stepRows } = await getDatabase();
  const live = stepRows.pendingOf(id);
  const [row, shapeRows, runRows] = await Promise.all([
    prisma.session.findFirst({ where: { id, workspaceId } }),
    prisma.step.findMany({
      where: { sessionId: id, session: { workspaceId } },
      select: { id: true, parentId: true, kind: true, createdAt: true, editedFromId: true, runId: true },
      orderBy: { createdAt: "asc" },
    }),
    prisma.run.findMany({
      where: { sessionId: id, session: { workspaceId } },
      include: RUN_INCLUDE,
      orderBy: { createdAt: "asc" },
    }),
  ]);
  if (!row) throw sessionNotFound();
  const shapes = new Map<string, StepShape & { editedFromId: string | null; runId: string | null }>();
  for (const shape of shapeRows) {
    shapes.set(shape.id, { ...shape, kind: shape.kind as StepShape["kind"], createdAt: shape.createdAt.toISOString() });
  }
  for (const step of live) shapes.set(step.id, step);
  const part = sharedPart([...shapes.values()], runRows.map(toRunView), sharedLeafId);
  for (const stepId of shapes.keys()) if (!part.stepIds.has(stepId)) shapes.delete(stepId);
  const index = indexSteps([...shapes.values()]);
  const branch = outlineBranch(index, resolveLeaf(index, leafId, { exact, fallback: sharedLeafId }));

  const tail = branch.path.slice(-OUTLINE_TAIL_STEPS);
  const wanted = new Set(tail);
  for (const stepId of tail) {
    const original = shapes.get(stepId)?.editedFromId;
    // An edited step may come from a branch the link doesn't show: left out.
    if (original && shapes.has(original)) wanted.add(original);
  }
  const steps = await readSteps(id, workspaceId, [...wanted], live);
  const order = new Map(branch.path.map((stepId, i) => [stepId, i]));
  steps.sort((a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1));
  return { session: { ...toSessionSummary(row), activeLeafId: sharedLeafId }, runs: part.runs, branch, steps };
}

/**
 * The outline of a session's branch in one statement (PostgreSQL and PGlite), over the
 * rows and the steps the write-behind queue has not written yet (`live`, passed in as
 * JSON) — the tree's shape is never read whole:
 * - the leaf, as `resolveLeaf` picks it (lib/steps/branch-outline.ts): `leafId`, else the
 *   session's active leaf, else the first root; then, unless `exact`, its latest
 *   continuation, following the newest child down (a recursive walk, one row a level);
 * - the path from that leaf up to its root (a recursive walk);
 * - at each step of the path whose parent has more than one child, all of them;
 * - how many leaves the tree has (steps minus steps with children).
 * Siblings are ordered as `indexSteps` orders them: by time, then by id in code-unit order
 * (COLLATE "C"). Null when the session is not in `workspaceId`: no step of it is read then.
 * `editedFrom`: the originals of the path's last OUTLINE_TAIL_STEPS steps, for their diffs.
 */
async function readOutline(
  query: RawQuery,
  {
    sessionId,
    workspaceId,
    leafId,
    exact,
    live,
  }: { sessionId: string; workspaceId: string; leafId: string | null; exact: boolean; live: readonly StepNode[] },
): Promise<{ branch: BranchOutline; editedFrom: string[] } | null> {
  const liveShapes = live.map(({ id, parentId, kind, createdAt, editedFromId }) => ({
    id,
    parentId,
    kind,
    createdAt,
    editedFromId,
  }));
  const [found] = await query<{
    path: [string, StepKind][] | null;
    forks: Record<string, string[]> | null;
    editedFrom: string[] | null;
    branchCount: number;
  }>(OUTLINE_SQL, [sessionId, workspaceId, leafId, exact, JSON.stringify(liveShapes), OUTLINE_TAIL_STEPS]);
  if (!found) return null;
  const path = found.path ?? [];
  return {
    branch: {
      leafId: path.at(-1)?.[0] ?? null,
      path: path.map(([stepId]) => stepId),
      kinds: path.map(([, kind]) => kind),
      forks: found.forks ?? {},
      branchCount: Number(found.branchCount),
    },
    editedFrom: found.editedFrom ?? [],
  };
}

/** Where the walks stop: deeper than any branch, it ends a walk round a cycle (which the app never makes). */
const MAX_DEPTH = 1_000_000;

/** $1 session, $2 workspace, $3 requested leaf or null, $4 exact, $5 the queue's steps (JSON), $6 tail length. */
const OUTLINE_SQL = `
WITH RECURSIVE
scope AS (
  SELECT "activeLeafId" FROM "Session" WHERE id = $1 AND "workspaceId" = $2
),
live AS (
  SELECT l.id, l."parentId", l.kind, l."createdAt", l."editedFromId"
  FROM json_to_recordset($5::json) AS l(id text, "parentId" text, kind text, "createdAt" timestamp(3), "editedFromId" text)
  WHERE NOT EXISTS (SELECT 1 FROM "Step" s WHERE s.id = l.id)
),
node AS NOT MATERIALIZED (
  SELECT s.id, s."parentId", s.kind, s."createdAt", s."editedFromId"
  FROM "Step" s
  WHERE s."sessionId" = $1 AND EXISTS (SELECT 1 FROM scope)
  UNION ALL
  SELECT * FROM live WHERE EXISTS (SELECT 1 FROM scope)
),
start AS (
  SELECT
    COALESCE(
      (SELECT n.id FROM node n WHERE n.id = $3::text),
      (SELECT n.id FROM node n WHERE n.id = (SELECT scope."activeLeafId" FROM scope)),
      (SELECT n.id FROM node n WHERE n."parentId" IS NULL ORDER BY n."createdAt", n.id COLLATE "C" LIMIT 1)
    ) AS id,
    $4::boolean AND EXISTS (SELECT 1 FROM node n WHERE n.id = $3::text) AS exact
),
down AS (
  SELECT start.id, 0 AS depth FROM start WHERE start.id IS NOT NULL
  UNION ALL
  SELECT newest.id, down.depth + 1
  FROM down
  CROSS JOIN LATERAL (
    SELECT n.id FROM node n WHERE n."parentId" = down.id ORDER BY n."createdAt" DESC, n.id COLLATE "C" DESC LIMIT 1
  ) newest
  WHERE NOT (SELECT start.exact FROM start) AND down.depth < ${MAX_DEPTH}
),
up AS (
  SELECT n.id, n."parentId", n.kind, n."editedFromId", 0 AS depth
  FROM node n
  WHERE n.id = (SELECT down.id FROM down ORDER BY down.depth DESC LIMIT 1)
  UNION ALL
  SELECT parent.id, parent."parentId", parent.kind, parent."editedFromId", up.depth + 1
  FROM up
  -- one index lookup a level (a join here is planned as a scan of the session's steps a level)
  CROSS JOIN LATERAL (SELECT n.* FROM node n WHERE n.id = up."parentId" LIMIT 1) parent
  WHERE up.depth < ${MAX_DEPTH}
),
family AS (
  SELECT n."parentId", count(*) AS children FROM node n GROUP BY n."parentId"
),
forks AS (
  SELECT
    COALESCE(family."parentId", '') AS parent,
    (
      SELECT json_agg(n.id ORDER BY n."createdAt", n.id COLLATE "C")
      FROM node n
      WHERE n."parentId" = family."parentId" OR (n."parentId" IS NULL AND family."parentId" IS NULL)
    ) AS ids
  FROM family
  WHERE family.children > 1
    AND (
      family."parentId" IN (SELECT up."parentId" FROM up)
      OR (family."parentId" IS NULL AND EXISTS (SELECT 1 FROM up WHERE up."parentId" IS NULL))
    )
)
SELECT
  (SELECT json_agg(json_build_array(up.id, up.kind) ORDER BY up.depth DESC) FROM up) AS path,
  (SELECT json_object_agg(forks.parent, forks.ids) FROM forks) AS forks,
  (SELECT json_agg(up."editedFromId") FROM up WHERE up.depth < $6 AND up."editedFromId" IS NOT NULL) AS "editedFrom",
  -- leaves: steps that are nobody's parent
  (SELECT sum(family.children) - count(family."parentId") FROM family) AS "branchCount"
FROM scope`;

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

/** The ids of a session's steps a branch share link ending at `leafId` shows (its shapes only: no content). */
async function sharedIds(
  id: string,
  workspaceId: string,
  leafId: string,
  live: readonly StepNode[],
): Promise<Set<string>> {
  const { prisma } = await getDatabase();
  const rows = await prisma.step.findMany({
    where: { sessionId: id, session: { workspaceId } },
    select: { id: true, parentId: true, createdAt: true, runId: true },
  });
  const shapes = new Map(rows.map((row) => [row.id, { ...row, createdAt: row.createdAt.toISOString() }]));
  for (const step of live) shapes.set(step.id, step);
  return sharedPart([...shapes.values()], [], leafId).stepIds;
}

/**
 * Steps of a session in `workspaceId` by id (at most MAX_STEPS_PER_PAGE, else 400
 * `bad_request:ids`), with the steps they were edited from; ids that are not steps of
 * that session in that workspace are left out, and so, for a branch share link's viewer
 * (`sharedLeafId`), are those the link doesn't show.
 */
export async function getStepsById({
  id,
  workspaceId,
  ids,
  sharedLeafId = null,
}: {
  id: string;
  workspaceId: string;
  ids: readonly string[];
  sharedLeafId?: string | null;
}): Promise<StepNode[]> {
  if (ids.length > MAX_STEPS_PER_PAGE) {
    throw new AppError("bad_request:ids", `Ask for at most ${MAX_STEPS_PER_PAGE} steps at a time.`);
  }
  const { stepRows } = await getDatabase();
  const live = stepRows.pendingOf(id);
  const shown = sharedLeafId ? await sharedIds(id, workspaceId, sharedLeafId, live) : null;
  const visible = (stepId: string) => shown === null || shown.has(stepId);
  const steps = await readSteps(id, workspaceId, ids.filter(visible), live);
  const have = new Set(steps.map((step) => step.id));
  const originals = [
    ...new Set(
      steps.flatMap((step) =>
        step.editedFromId && !have.has(step.editedFromId) && visible(step.editedFromId) ? [step.editedFromId] : [],
      ),
    ),
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
