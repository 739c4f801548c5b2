/**
 * The step tree: a session's steps form a forest by `parentId`; a branch is a leaf and
 * its path is the chain from the root (the task) down to it. Every function here is
 * iterative — an agent run is one long chain, thousands of steps deep.
 */
import type { StepNode } from "./types";

/** What the tree functions read of a step: a full step, or its outline without content. */
export type TreeNode = Pick<StepNode, "id" | "parentId" | "createdAt">;

export interface StepIndex<T extends TreeNode = StepNode> {
  readonly byId: ReadonlyMap<string, T>;
  /** children per parent id, oldest first; the key `null` holds the roots */
  readonly children: ReadonlyMap<string | null, readonly T[]>;
}

export interface Leaf<T extends TreeNode = StepNode> {
  leaf: T;
  /** number of steps from the root to the leaf, both included */
  pathLength: number;
}

const NO_STEPS: readonly never[] = [];

/** Siblings are shown oldest first; the id breaks ties between steps created in the same millisecond. */
function bySiblingOrder(times: ReadonlyMap<string, number>) {
  return (a: TreeNode, b: TreeNode) => {
    const dt = (times.get(a.id) ?? 0) - (times.get(b.id) ?? 0);
    if (dt !== 0) return dt;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

export function indexSteps<T extends TreeNode>(steps: readonly T[]): StepIndex<T> {
  const byId = new Map<string, T>();
  const children = new Map<string | null, T[]>();
  // ISO strings with different offsets or precision don't compare as text; parse once.
  const times = new Map<string, number>();
  for (const step of steps) {
    byId.set(step.id, step);
    times.set(step.id, Date.parse(step.createdAt));
    const siblings = children.get(step.parentId);
    if (siblings) siblings.push(step);
    else children.set(step.parentId, [step]);
  }
  const order = bySiblingOrder(times);
  for (const siblings of children.values()) siblings.sort(order);
  return { byId, children };
}

function stepById<T extends TreeNode>(index: StepIndex<T>, id: string): T {
  const step = index.byId.get(id);
  if (!step) throw new Error(`Unknown step ${id}`);
  return step;
}

/** The steps from the root down to `leafId`, root first. */
export function pathTo<T extends TreeNode>(index: StepIndex<T>, leafId: string): T[] {
  const path: T[] = [];
  let step: T | undefined = stepById(index, leafId);
  while (step) {
    path.push(step);
    if (path.length > index.byId.size) throw new Error(`Cycle in the step tree above ${leafId}`);
    step = step.parentId === null ? undefined : stepById(index, step.parentId);
  }
  return path.reverse();
}

/** Children of a step, oldest first; `null` gives the roots. */
export function childrenOf<T extends TreeNode>(index: StepIndex<T>, id: string | null): readonly T[] {
  return index.children.get(id) ?? NO_STEPS;
}

/** The step and its alternatives (same parent), with the step's 0-based position among them. */
export function siblingsOf<T extends TreeNode>(
  index: StepIndex<T>,
  id: string,
): { siblings: readonly T[]; position: number } {
  const step = stepById(index, id);
  const siblings = childrenOf(index, step.parentId);
  return { siblings, position: siblings.indexOf(step) };
}

/** Whether `id` ends a branch: no step continues it (a leaf). Any id not in the index is one too. */
export function isBranchEnd<T extends TreeNode>(index: StepIndex<T>, id: string): boolean {
  return childrenOf(index, id).length === 0;
}

/** Every branch, in depth-first tree order (older siblings first). Steps not reachable from a root are ignored. */
export function leavesOf<T extends TreeNode>(index: StepIndex<T>): Leaf<T>[] {
  const leaves: Leaf<T>[] = [];
  const stack: Array<{ step: T; depth: number }> = [];
  const pushChildren = (id: string | null, depth: number) => {
    const children = childrenOf(index, id);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ step: children[i] as T, depth });
  };
  pushChildren(null, 1);
  while (stack.length > 0) {
    const { step, depth } = stack.pop() as { step: T; depth: number };
    if (isBranchEnd(index, step.id)) leaves.push({ leaf: step, pathLength: depth });
    else pushChildren(step.id, depth + 1);
  }
  return leaves;
}

/**
 * The leaf reached by always following the newest child from `stepId` down: where a
 * person lands when switching to a sibling branch (its latest continuation).
 */
export function latestLeafUnder<T extends TreeNode>(index: StepIndex<T>, stepId: string): T {
  let step = stepById(index, stepId);
  for (let hops = 0; ; hops++) {
    const children = childrenOf(index, step.id);
    const newest = children[children.length - 1];
    if (!newest) return step;
    if (hops > index.byId.size) throw new Error(`Cycle in the step tree below ${stepId}`);
    step = newest;
  }
}

/** The deepest step two paths share (where they fork), or null when they share no root. */
export function branchPoint(pathA: readonly StepNode[], pathB: readonly StepNode[]): StepNode | null {
  let shared: StepNode | null = null;
  const length = Math.min(pathA.length, pathB.length);
  for (let i = 0; i < length; i++) {
    const a = pathA[i] as StepNode;
    if (a.id !== pathB[i]?.id) break;
    shared = a;
  }
  return shared;
}
