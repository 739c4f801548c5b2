import { humanFileEdit } from "@/lib/steps/files";
import type { StepNode } from "@/lib/steps/types";
import { PersonTestRunBody } from "./test-report";

/** A person's step: a test run from the editor, a file saved in the editor, or a note. */
export function UserNoteBody({ step }: { step: StepNode }) {
  if (step.providerData?.testReport) return <PersonTestRunBody step={step} report={step.providerData.testReport} />;
  const file = humanFileEdit(step);
  return file ? (
    <p className="text-sm text-zinc-700 dark:text-zinc-300">
      You saved <span className="font-mono text-xs">{file.path}</span> in the editor.
    </p>
  ) : (
    <p className="text-sm whitespace-pre-wrap break-words">{step.content}</p>
  );
}
