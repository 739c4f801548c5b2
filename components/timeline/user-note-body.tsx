import { humanFileEdit } from "@/lib/steps/files";
import type { StepNode } from "@/lib/steps/types";
import { PersonTestRunBody } from "./test-report";

/**
 * A person's step: a test run from the editor, a file saved in the editor, or a note. Worded
 * for every viewer (teammates, share links): the step's header names who made it.
 */
export function UserNoteBody({ step }: { step: StepNode }) {
  if (step.providerData?.testReport) return <PersonTestRunBody step={step} report={step.providerData.testReport} />;
  const file = humanFileEdit(step);
  return file ? (
    <div className="space-y-1">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        <span className="font-mono text-xs">{file.path}</span> saved in the editor.
      </p>
      <p className="text-[11px] text-zinc-500 dark:text-zinc-400">
        {step.providerData?.replayAs === "tool_result"
          ? "The model reads this file with the tool result before it, so its earlier thinking is kept."
          : "The model reads this file as the person's message when the run continues, and starts a fresh turn: MiniMax drops the thinking of the turns before a message."}
      </p>
    </div>
  ) : (
    <p className="text-sm whitespace-pre-wrap break-words">{step.content}</p>
  );
}
