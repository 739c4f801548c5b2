/**
 * The branch on screen without the rest of the tree: the ids and kinds of its path, and at
 * every fork on it the ids of the alternatives, which is all the timeline's switchers
 * need. The session page and the SSE snapshot carry this plus the steps at the end of the
 * path; other steps' content is fetched as rows come into view (GET /api/sessions/:id/steps),
 * other branches' outlines when a person opens one (GET /api/sessions/:id/branch).
 * Pure functions over plain data, used by the server to build an outline and by the
 * browser to keep it current as steps stream in.
 */
import { childrenOf, latestLeafUnder, pathTo, type StepIndex, type TreeNode } from "./tree";
import type { StepKind, StepNode } from "./types";

/** What the server reads of every step to outline a branch: no content. */
export type StepShape = TreeNode & Pick<StepNode, "kind">;

export interface BranchOutline {
  /** the step the path ends at; null for a session without steps */
  leafId: string | null;
  /** the path's step ids, root (the task) first */
  path: string[];
  /** the kind of each path step, same order: rows size themselves and the editor knows which steps touch files */
  kinds: StepKind[];
  /**
   * Where the path forks: for each path step that has alternatives, its parent's id ("" for
   * the roots) → the ids of all the parent's children, oldest first. A parent not listed has
   * one child on the path (or none, at the leaf).
   */
  forks: Record<string, string[]>;
  /** how many branches (leaves) the session has */
  branchCount: number;
}

/** How many steps at the end of the path the page and the snapshot carry whole. */
export const OUTLINE_TAIL_STEPS = 40;

export const EMPTY_OUTLINE: BranchOutline = { leafId: null, path: [], kinds: [], forks: {}, branchCount: 0 };

const forkKey = (parentId: string | null) => parentId ?? "";

/** Leaves of the tree: every step minus those that have children. */
export function countLeaves<T extends TreeNode>(index: StepIndex<T>): number {
  let parents = 0;
  for (const key of index.children.keys()) if (key !== null && index.byId.has(key)) parents++;
  return index.byId.size - parents;
}

/**
 * The leaf to show for `requested`: its latest continuation (following the newest child
 * down), or exactly it with `exact`; an unknown or missing request falls back to
 * `fallback` (the session's active leaf), then to the first root's latest leaf.
 */
export function resolveLeaf<T extends TreeNode>(
  index: StepIndex<T>,
  requested: string | null,
  { exact = false, fallback = null }: { exact?: boolean; fallback?: string | null } = {},
): string | null {
  if (requested && index.byId.has(requested)) return exact ? requested : latestLeafUnder(index, requested).id;
  if (fallback && index.byId.has(fallback)) return latestLeafUnder(index, fallback).id;
  const root = childrenOf(index, null)[0];
  return root ? latestLeafUnder(index, root.id).id : null;
}

/** The outline of the branch ending at `leafId` (a step of `index`). */
export function outlineBranch(index: StepIndex<StepShape>, leafId: string | null): BranchOutline {
  if (!leafId) return { ...EMPTY_OUTLINE, branchCount: countLeaves(index) };
  const steps = pathTo(index, leafId);
  const forks: Record<string, string[]> = {};
  for (const step of steps) {
    const siblings = childrenOf(index, step.parentId);
    if (siblings.length > 1) forks[forkKey(step.parentId)] = siblings.map((sibling) => sibling.id);
  }
  return {
    leafId,
    path: steps.map((step) => step.id),
    kinds: steps.map((step) => step.kind),
    forks,
    branchCount: countLeaves(index),
  };
}

/** The children of a path step (or of the roots, `null`) as far as the outline knows them. */
export function childrenOnPath(outline: BranchOutline, parentId: string | null): readonly string[] {
  const fork = outline.forks[forkKey(parentId)];
  if (fork) return fork;
  const at = parentId === null ? -1 : outline.path.indexOf(parentId);
  const next = outline.path[at + 1];
  return next !== undefined && (at >= 0 || parentId === null) ? [next] : [];
}

/** The alternatives of the path's step at `position` (their ids, oldest first) and where it sits among them. */
export function siblingsOnPath(
  outline: BranchOutline,
  position: number,
): { siblings: readonly string[]; position: number } {
  const id = outline.path[position];
  if (id === undefined) return { siblings: [], position: 0 };
  const parent = position === 0 ? null : (outline.path[position - 1] ?? null);
  const siblings = outline.forks[forkKey(parent)] ?? [id];
  return { siblings, position: Math.max(0, siblings.indexOf(id)) };
}

/**
 * A step that was just created (streamed, or returned by an API call): below the leaf it
 * extends the path; below another path step (an edit, a regeneration) it is a new
 * alternative there and a new branch. Elsewhere the outline doesn't change.
 */
export function addToOutline(outline: BranchOutline, step: Pick<StepNode, "id" | "parentId" | "kind">): BranchOutline {
  if (outline.path.includes(step.id)) return outline;
  const extendsLeaf = step.parentId === outline.leafId && (step.parentId !== null || outline.path.length === 0);
  const onPath = extendsLeaf || step.parentId === null || outline.path.includes(step.parentId);
  if (!onPath) return outline;
  // Alternatives known under the parent: a leaf cut short by opening it exactly remembers its old continuation.
  const siblings = extendsLeaf ? (outline.forks[forkKey(step.parentId)] ?? []) : childrenOnPath(outline, step.parentId);
  if (siblings.includes(step.id)) return outline;
  const forks =
    siblings.length > 0 ? { ...outline.forks, [forkKey(step.parentId)]: [...siblings, step.id] } : outline.forks;
  const branchCount = outline.branchCount + (siblings.length > 0 ? 1 : 0);
  if (!extendsLeaf) return { ...outline, forks, branchCount };
  return {
    leafId: step.id,
    path: [...outline.path, step.id],
    kinds: [...outline.kinds, step.kind],
    forks,
    branchCount: Math.max(1, branchCount),
  };
}

/** A step that could not be saved is gone: off the path (with what follows it) and off the forks. */
export function removeFromOutline(outline: BranchOutline, stepId: string): BranchOutline {
  let wasAlternative = false;
  const forks: Record<string, string[]> = {};
  for (const [parent, children] of Object.entries(outline.forks)) {
    if (children.includes(stepId)) wasAlternative = true;
    const rest = children.filter((child) => child !== stepId);
    if (rest.length > 0) forks[parent] = rest;
  }
  const at = outline.path.indexOf(stepId);
  if (at < 0 && !wasAlternative) return outline;
  const branchCount = Math.max(1, outline.branchCount - (wasAlternative ? 1 : 0));
  if (at < 0) return { ...outline, forks, branchCount };
  const path = outline.path.slice(0, at);
  return { leafId: path.at(-1) ?? null, path, kinds: outline.kinds.slice(0, at), forks, branchCount };
}

/**
 * Opens `stepId` as the end of the branch on screen when the outline alone can tell its
 * path: a step of the path (the path is cut after it), or a step whose parent is on the
 * path (`parentId`; an edit, a new test run). Null when it can't: ask the server.
 */
export function openInOutline(
  outline: BranchOutline,
  step: Pick<StepNode, "id" | "parentId" | "kind">,
): BranchOutline | null {
  const at = outline.path.indexOf(step.id);
  const cutAfter = at >= 0 ? at : step.parentId === null ? -1 : outline.path.indexOf(step.parentId);
  if (at < 0 && step.parentId !== null && cutAfter < 0) return null;
  // What the path held below the cut stays known as an alternative of the step it continued.
  const forks = { ...outline.forks };
  const cutAt = outline.path[cutAfter] ?? null;
  if (cutAfter >= 0 || step.parentId === null) {
    const children = childrenOnPath(outline, cutAt);
    if (children.length > 0) forks[forkKey(cutAt)] = [...children];
  }
  if (at >= 0) {
    return {
      ...outline,
      leafId: step.id,
      path: outline.path.slice(0, at + 1),
      kinds: outline.kinds.slice(0, at + 1),
      forks,
    };
  }
  const siblings = forks[forkKey(step.parentId)] ?? [];
  forks[forkKey(step.parentId)] = siblings.includes(step.id) ? siblings : [...siblings, step.id];
  if ((forks[forkKey(step.parentId)]?.length ?? 0) < 2) delete forks[forkKey(step.parentId)];
  return {
    ...outline,
    leafId: step.id,
    path: [...outline.path.slice(0, cutAfter + 1), step.id],
    kinds: [...outline.kinds.slice(0, cutAfter + 1), step.kind],
    forks,
  };
}
