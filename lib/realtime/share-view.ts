import type { TreeNode } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import type { SessionStreamMessage } from "@/lib/wire/events";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";

/**
 * A step as a share link's visitor gets it: without `authorId`, its author's user id. The
 * link's audience is outside the workspace: it sees who made a step by name (authorName),
 * never a member's internal id.
 */
export function sharedStep(step: StepNode): StepNode {
  if (!("authorId" in step)) return step;
  const { authorId: _, ...shown } = step;
  return shown;
}

/** What a share link's visitor gets of a read with steps (a branch view, a snapshot, a page of steps): `sharedStep` each. */
export function withSharedSteps<T extends { steps: StepNode[] }>(read: T): T {
  return read.steps.some((step) => "authorId" in step) ? { ...read, steps: read.steps.map(sharedStep) } : read;
}

/** A stream message as a share link's visitor gets it: its steps as `sharedStep` makes them. */
function sharedMessage(message: SessionStreamMessage): SessionStreamMessage {
  switch (message.type) {
    case "snapshot":
      return withSharedSteps(message);
    case "step.created":
    case "step.updated":
      return "authorId" in message.step ? { ...message, step: sharedStep(message.step) } : message;
    default:
      return message;
  }
}

/**
 * The ids a branch share link shows of a tree's steps (any order): the path from the root
 * to `leafId`, and every step below it. Empty when `leafId` is not among them.
 */
export function sharedStepIds(steps: readonly TreeNode[], leafId: string): Set<string> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const shown = new Set<string>();
  if (!byId.has(leafId)) return shown;
  for (let step = byId.get(leafId); step; step = step.parentId ? byId.get(step.parentId) : undefined) {
    shown.add(step.id);
  }
  const children = new Map<string, string[]>();
  for (const step of steps) {
    if (step.parentId !== null) children.set(step.parentId, [...(children.get(step.parentId) ?? []), step.id]);
  }
  const below = [leafId];
  for (let id = below.pop(); id !== undefined; id = below.pop()) {
    for (const child of children.get(id) ?? []) {
      shown.add(child);
      below.push(child);
    }
  }
  return shown;
}

/**
 * What a branch share link shows of a tree told by its shapes: the step ids
 * (`sharedStepIds`) and the runs that made one of them or continue below the shared step
 * (not a run from a step above it, which made a branch the link doesn't show).
 */
export function sharedPart<R extends { id: string; fromStepId: string | null }>(
  steps: readonly (TreeNode & { runId: string | null })[],
  runs: readonly R[],
  leafId: string,
): { stepIds: Set<string>; runs: R[] } {
  const stepIds = sharedStepIds(steps, leafId);
  const byId = new Map(steps.map((step) => [step.id, step]));
  const above = new Set<string>();
  for (let id = byId.get(leafId)?.parentId ?? null; id !== null; id = byId.get(id)?.parentId ?? null) above.add(id);
  const made = new Set(steps.flatMap((step) => (step.runId && stepIds.has(step.id) ? [step.runId] : [])));
  const shownRuns = runs.filter(
    (run) => made.has(run.id) || (run.fromStepId !== null && stepIds.has(run.fromStepId) && !above.has(run.fromStepId)),
  );
  return { stepIds, runs: shownRuns };
}

/**
 * What a branch share link shows of a session: the path from the root to the shared
 * step, and everything that grows after it (a run continuing the branch streams live to
 * the viewer). Sibling branches, the runs that made them and the owner's open branch stay
 * hidden. Pure: the shared page's render and each viewer's SSE stream keep one of these.
 */
export class BranchView {
  /** the shared step and its descendants: new children of these are shown */
  private readonly below = new Set<string>();
  /** every step shown: the path to the shared step and `below` */
  private readonly shown = new Set<string>();
  /** runs that made or continue a shown step */
  private readonly runs = new Set<string>();

  constructor(private readonly leafId: string) {}

  /** Start over from a whole tree (a snapshot): the steps and runs the viewer may see, in their order. */
  seed<T extends { session: SessionSummary; steps: StepNode[]; runs: RunView[] }>(tree: T): T {
    this.below.clear();
    this.shown.clear();
    this.runs.clear();
    const byId = new Map(tree.steps.map((step) => [step.id, step]));
    for (let step = byId.get(this.leafId); step; step = step.parentId ? byId.get(step.parentId) : undefined) {
      this.shown.add(step.id);
    }
    if (!this.shown.has(this.leafId)) return { ...tree, session: this.session(tree.session), steps: [], runs: [] };
    this.below.add(this.leafId);
    // Steps arrive parents first (creation order), but not necessarily: repeat until nothing is added.
    for (let grew = true; grew; ) {
      grew = false;
      for (const step of tree.steps) {
        if (!this.below.has(step.id) && step.parentId !== null && this.below.has(step.parentId)) {
          this.below.add(step.id);
          this.shown.add(step.id);
          grew = true;
        }
      }
    }
    const steps = tree.steps.filter((step) => this.shown.has(step.id));
    for (const step of steps) if (step.runId) this.runs.add(step.runId);
    const runs = tree.runs.filter((run) => this.isShownRun(run));
    return { ...tree, session: this.session(tree.session), steps, runs };
  }

  private isShownRun(run: RunView): boolean {
    if (this.runs.has(run.id)) return true;
    if (run.fromStepId !== null && this.below.has(run.fromStepId)) {
      this.runs.add(run.id);
      return true;
    }
    return false;
  }

  /** The session with the shared step as its open branch (the owner's own choice stays theirs). */
  private session(session: SessionSummary): SessionSummary {
    return { ...session, activeLeafId: this.leafId };
  }

  /** One stream message as this viewer may see it (steps as `sharedStep` makes them), or null when it is about something hidden. */
  filter(message: SessionStreamMessage): SessionStreamMessage | null {
    switch (message.type) {
      case "snapshot":
        return sharedMessage(this.seed(message));
      case "step.created": {
        const { step } = message;
        if (!this.shown.has(step.id)) {
          if (step.parentId === null || !this.below.has(step.parentId)) return null;
          this.below.add(step.id);
          this.shown.add(step.id);
        }
        if (step.runId) this.runs.add(step.runId);
        return sharedMessage(message);
      }
      case "step.updated":
        return this.shown.has(message.step.id) ? sharedMessage(message) : null;
      case "step.delta":
      case "step.removed":
        return this.shown.has(message.stepId) ? message : null;
      case "run.updated":
        return this.isShownRun(message.run) ? message : null;
      case "session.updated":
        return { ...message, session: this.session(message.session) };
      case "presence":
      case "comment.created":
      case "comment.updated":
      case "comment.deleted":
        return null;
      case "session.deleted":
        return message;
    }
  }
}

/**
 * What a share link's visitor may see of a message when the link shares the whole tree:
 * everything but who else is viewing and the team's review comments (members' names and
 * discussion stay inside the workspace), its steps without their authors' user ids.
 */
export function sharedTreeView(message: SessionStreamMessage): SessionStreamMessage | null {
  return message.type === "presence" || message.type.startsWith("comment.") ? null : sharedMessage(message);
}
