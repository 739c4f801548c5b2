import "server-only";
import type { Author } from "@/lib/auth/authors";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { getStepInSession, listSessionSteps } from "@/lib/db/steps";
import { AppError } from "@/lib/http/errors";
import { formatTestReport, RUN_TESTS_TOOL_NAME, runTests, type TestReport } from "@/lib/sandbox";
import { appendHumanStep, assertNoRunStreamingThrough } from "@/lib/sessions/edits";
import { filesAt } from "@/lib/steps/files";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import type { StepNode } from "@/lib/steps/types";
import { trackTestRun } from "./active-runs";
import { personStepReplay } from "./history";
import { yieldToStreams } from "./stream-priority";
import { compactReport } from "./test-runs";

/**
 * A person's Run in the editor: the branch's tests at `afterStepId` (its files over the
 * session's starting files) run in the sandbox, and
 * the report becomes a `user_note` step after it (origin human, providerData.toolName
 * run_tests) — the new end of the branch. How the model reads it when the run continues is
 * `personStepReplay` (history.ts): inside the tool result it follows where there is one,
 * so no user message drops the model's thinking; else as the person's message. Both the
 * start and the end of the sandbox run wait their turn behind streaming deltas.
 *
 * Throws AppError: not_found:step, conflict:step (the step is still streaming),
 * conflict:run (a run is streaming through the step, checked before and after the tests),
 * unavailable:shutdown (the server is stopping; one already going finishes first).
 */
export function runTestsAfterStep(
  input: Parameters<typeof testsAfterStep>[0],
): Promise<{ step: StepNode; report: TestReport }> {
  return trackTestRun(() => testsAfterStep(input));
}

async function testsAfterStep({
  sessionId,
  workspaceId,
  afterStepId,
  paths,
  author,
}: {
  sessionId: string;
  workspaceId: string;
  afterStepId: string;
  paths?: string[];
  /** who runs them: recorded on the step */
  author: Author;
}): Promise<{ step: StepNode; report: TestReport }> {
  const after = await getStepInSession({ sessionId, workspaceId, stepId: afterStepId });
  if (after.status === "streaming") {
    throw new AppError("conflict:step", "That step is still streaming. Run the tests once the run has finished.");
  }
  await assertNoRunStreamingThrough({ sessionId, workspaceId, stepId: afterStepId });
  const [steps, start] = await Promise.all([
    listSessionSteps({ sessionId, workspaceId }),
    loadStartingFiles({ sessionId, workspaceId }),
  ]);
  const path = pathTo(indexSteps(steps), after.id);
  const input = paths && paths.length > 0 ? { paths } : {};
  await yieldToStreams();
  const report = await runTests({ files: Object.fromEntries(filesAt(path, start)), ...input });
  await yieldToStreams();
  // A run may have started on this branch while the tests ran; the step would cut into it.
  await assertNoRunStreamingThrough({ sessionId, workspaceId, stepId: afterStepId });
  const step = await appendHumanStep(
    { sessionId, workspaceId, author },
    {
      parentId: after.id,
      kind: "user_note",
      origin: "human",
      content: formatTestReport(report),
      turn: null,
      editedFromId: null,
      providerData: {
        toolName: RUN_TESTS_TOOL_NAME,
        toolInput: JSON.stringify(input),
        testReport: compactReport(report),
        replayAs: personStepReplay(path),
      },
    },
  );
  return { step, report };
}
