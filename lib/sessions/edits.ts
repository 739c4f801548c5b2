import "server-only";
import { personStepReplay } from "@/lib/agent/history";
import { finishOrphansOf } from "@/lib/agent/run-lease";
import type { Author } from "@/lib/auth/authors";
import { listActiveRuns } from "@/lib/db/runs";
import { getStepInSession, type HumanStep, insertHumanStep, listSessionSteps } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { getSessionBus } from "@/lib/realtime/bus";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import { EDITABLE_STEP_KINDS, type StepKind, type StepNode } from "@/lib/steps/types";
import { normalizeProjectPath } from "@/lib/steps/virtual-files";
import { MAX_TASK_LENGTH } from "./schema";

/**
 * A person's edits. Nothing is changed in place: an edit is a new sibling of the step
 * (origin human_edit, editedFromId → the original), a saved file is a new user_note step
 * after the chosen one. Two people editing the same step get two siblings. The new step
 * becomes the branch on screen.
 */

export const MAX_EDIT_LENGTH = 200_000;

function editLimitFor(kind: StepKind): number {
  return kind === "task" ? MAX_TASK_LENGTH : MAX_EDIT_LENGTH;
}

/** 409 when a run is streaming on a branch that passes through `stepId`. */
export async function assertNoRunStreamingThrough({
  sessionId,
  workspaceId,
  stepId,
}: {
  sessionId: string;
  workspaceId: string;
  stepId: string;
}) {
  await finishOrphansOf(sessionId); // a run whose server died no longer blocks the branch
  const active = await listActiveRuns({ sessionId, workspaceId });
  if (active.length === 0) return;
  const index = indexSteps(await listSessionSteps({ sessionId, workspaceId }));
  for (const run of active) {
    const ownSteps = [...index.byId.values()].filter((step) => step.runId === run.id);
    const tip = ownSteps.length > 0 ? ownSteps[ownSteps.length - 1]?.id : run.fromStepId;
    if (!tip || !index.byId.has(tip)) continue;
    if (pathTo(index, tip).some((step) => step.id === stepId)) {
      throw new AppError(
        "conflict:run",
        "A run is streaming on this branch. Stop it before editing, so the edit and the run don't overwrite each other.",
        { runId: run.id },
      );
    }
  }
}

/** `author`'s edit of a task, thinking or text step: a new sibling of it, the branch on screen. */
export async function editStep({
  sessionId,
  workspaceId,
  stepId,
  content,
  author,
}: {
  sessionId: string;
  workspaceId: string;
  stepId: string;
  content: string;
  author: Author;
}): Promise<StepNode> {
  const original = await getStepInSession({ sessionId, workspaceId, stepId });
  if (!EDITABLE_STEP_KINDS.has(original.kind)) {
    throw new AppError(
      "bad_request:step_kind",
      "Only the task, thinking and text steps can be edited. To change a file, edit it in the editor.",
    );
  }
  if (content.length > editLimitFor(original.kind)) {
    throw new AppError("bad_request:validation", "The edit is too long for this kind of step.");
  }
  if (original.status === "streaming") {
    throw new AppError("conflict:step", "This step is still streaming. Stop the run before editing it.");
  }
  await assertNoRunStreamingThrough({ sessionId, workspaceId, stepId });
  const route = original.providerData?.route;
  return appendHumanStep(
    { sessionId, workspaceId, author },
    {
      parentId: original.parentId,
      kind: original.kind,
      origin: "human_edit",
      content,
      turn: original.turn,
      editedFromId: original.id,
      providerData: route ? { route } : null,
    },
  );
}

/** A file `author` saved in the editor: a user_note step after `afterStepId` that writes it. */
export async function saveFile({
  sessionId,
  workspaceId,
  afterStepId,
  path,
  content,
  author,
}: {
  sessionId: string;
  workspaceId: string;
  afterStepId: string;
  path: string;
  content: string;
  author: Author;
}): Promise<StepNode> {
  const after = await getStepInSession({ sessionId, workspaceId, stepId: afterStepId });
  const normalized = normalizeProjectPath(path);
  if (!normalized.ok) throw new AppError("bad_request:path", normalized.error);
  if (after.status === "streaming") {
    throw new AppError("conflict:step", "That step is still streaming. Stop the run before saving a file after it.");
  }
  await assertNoRunStreamingThrough({ sessionId, workspaceId, stepId: afterStepId });
  const branch = pathTo(indexSteps(await listSessionSteps({ sessionId, workspaceId })), after.id);
  return appendHumanStep(
    { sessionId, workspaceId, author },
    {
      parentId: after.id,
      kind: "user_note",
      origin: "human",
      content: `Edited ${normalized.value} in the editor.`,
      turn: null,
      editedFromId: null,
      providerData: {
        toolName: "write_file",
        toolInput: JSON.stringify({ path: normalized.value, content }),
        replayAs: personStepReplay(branch),
      },
    },
  );
}

/**
 * Saves a step a person made (done at once), recording its author, and makes it the
 * branch on screen, then tells every viewer. Used for edits, file saves and test runs
 * from the editor.
 */
export async function appendHumanStep(
  { sessionId, workspaceId, author }: { sessionId: string; workspaceId: string; author: Author },
  step: HumanStep,
): Promise<StepNode> {
  const { step: node, session } = await insertHumanStep({ sessionId, workspaceId, step, author });
  const bus = getSessionBus();
  bus.publish(sessionId, { type: "step.created", step: node });
  bus.publish(sessionId, { type: "session.updated", session });
  return node;
}
