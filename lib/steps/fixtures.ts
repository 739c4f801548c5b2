/** Step builders for tests: a readable way to write a path or a tree. */
import type { StepNode } from "./types";

const BASE_TIME = Date.parse("2025-01-01T00:00:00.000Z");

/** A done, model-made step with every optional field empty; override what the test cares about. */
export function makeStep(fields: Partial<StepNode> & Pick<StepNode, "id">): StepNode {
  return {
    sessionId: "session-1",
    parentId: null,
    runId: null,
    kind: "text",
    origin: "model",
    status: "done",
    content: "",
    turn: null,
    providerData: null,
    editedFromId: null,
    inputTokens: null,
    outputTokens: null,
    reasoningTokens: null,
    costUsd: null,
    createdAt: new Date(BASE_TIME).toISOString(),
    firstTokenAt: null,
    finishedAt: null,
    ...fields,
  };
}

/** Links steps into one path (each the child of the one before), one second apart, ids s0, s1, … unless given. */
export function chain(steps: ReadonlyArray<Partial<StepNode>>): StepNode[] {
  const path: StepNode[] = [];
  steps.forEach((fields, i) => {
    const parent = path[i - 1];
    path.push(
      makeStep({
        id: `s${i}`,
        parentId: parent ? parent.id : null,
        createdAt: new Date(BASE_TIME + i * 1000).toISOString(),
        ...fields,
      }),
    );
  });
  return path;
}
