import { parseRunTestsInput } from "@/lib/sandbox/tool";
import type { StepNode } from "@/lib/steps/types";
import { countLines, readToolInput, type ToolInputView } from "./tool-input";

const PREVIEW_LINES = 4;
const EDIT_PREVIEW_LINES = 10;

/** "+12 −3": what the call did to its file once it ran, or what it proposes before (never for an interrupted call). */
function lineDelta(step: StepNode, input: ToolInputView): { added: number; removed: number } | null {
  const file = step.providerData?.file;
  if (file) return { added: file.added, removed: file.removed };
  // an interrupted call (cut at the token limit, or stopped) never runs: it proposes nothing
  if (step.status === "interrupted") return null;
  const tool = step.providerData?.toolName;
  if (tool === "write_file" && input.content !== undefined) return { added: countLines(input.content), removed: 0 };
  if (tool === "edit_file" && input.newString !== undefined) {
    return { added: countLines(input.newString), removed: countLines(input.oldString ?? "") };
  }
  return null;
}

/** Which tests a run_tests call asks for, in words. */
function testsAsked(step: StepNode): string {
  const input = parseRunTestsInput(step.providerData?.toolInput ?? step.content);
  if (!input.ok) return "";
  return input.value.paths ? input.value.paths.join(", ") : "all tests";
}

/** Tool name, file and line counts, on the step's header line. */
export function ToolCallSummary({ step }: { step: StepNode }) {
  const input = readToolInput(step);
  const path = step.providerData?.file?.path ?? input.path;
  const delta = lineDelta(step, input);
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span className="font-mono text-xs font-medium text-sky-700 dark:text-sky-300">
        {step.providerData?.toolName ?? "tool"}
      </span>
      {step.providerData?.toolName === "run_tests" ? (
        <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{testsAsked(step)}</span>
      ) : null}
      {path ? (
        <span className="truncate font-mono text-xs text-zinc-700 dark:text-zinc-300" title={path}>
          {path}
        </span>
      ) : null}
      {delta ? (
        <span className="shrink-0 font-mono text-[11px] tabular-nums">
          <span className="text-emerald-700 dark:text-emerald-400">+{delta.added}</span>{" "}
          <span className="text-red-700 dark:text-red-400">−{delta.removed}</span>
        </span>
      ) : null}
    </span>
  );
}

function clipLines(text: string, max: number, fromEnd: boolean): { lines: string[]; hidden: number } {
  const lines = text.replace(/\n$/, "").split("\n");
  if (lines.length <= max) return { lines, hidden: 0 };
  return { lines: fromEnd ? lines.slice(-max) : lines.slice(0, max), hidden: lines.length - max };
}

const CODE = "overflow-x-auto rounded-md bg-zinc-100 px-2.5 py-1.5 font-mono text-xs leading-5 dark:bg-zinc-900";

/** The call's input, compact: a file's first lines (its last while being written), an edit as a small diff. */
export function ToolCallBody({ step }: { step: StepNode }) {
  const tool = step.providerData?.toolName;
  const input = readToolInput(step);
  const streaming = step.status === "streaming";

  if (tool === "write_file" && input.content !== undefined) {
    const { lines, hidden } = clipLines(input.content, PREVIEW_LINES, streaming);
    return (
      <pre className={`${CODE} text-zinc-700 dark:text-zinc-300`}>
        {streaming && hidden > 0 ? (
          <span className="block text-zinc-500 dark:text-zinc-400">… {hidden} lines above</span>
        ) : null}
        {lines.join("\n")}
        {!streaming && hidden > 0 ? (
          <span className="block text-zinc-500 dark:text-zinc-400">… {hidden} more lines</span>
        ) : null}
      </pre>
    );
  }
  if (tool === "edit_file" && (input.oldString !== undefined || input.newString !== undefined)) {
    const removed = clipLines(input.oldString ?? "", EDIT_PREVIEW_LINES, false);
    const added = clipLines(input.newString ?? "", EDIT_PREVIEW_LINES, false);
    return (
      <pre className={CODE}>
        {removed.lines.map((line, i) => (
          <span key={`-${i}`} className="block bg-red-100/70 text-red-800 dark:bg-red-950/50 dark:text-red-200">
            - {line}
          </span>
        ))}
        {removed.hidden > 0 ? (
          <span className="block text-zinc-500 dark:text-zinc-400">… {removed.hidden} more</span>
        ) : null}
        {added.lines.map((line, i) => (
          <span
            key={`+${i}`}
            className="block bg-emerald-100/70 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200"
          >
            + {line}
          </span>
        ))}
        {added.hidden > 0 ? (
          <span className="block text-zinc-500 dark:text-zinc-400">… {added.hidden} more</span>
        ) : null}
      </pre>
    );
  }
  if (tool === "read_file" || tool === "list_files" || tool === "run_tests") return null;
  const raw = step.providerData?.toolInput ?? step.content;
  if (!raw) return null;
  return (
    <pre className={`${CODE} line-clamp-4 whitespace-pre-wrap break-all text-zinc-600 dark:text-zinc-400`}>{raw}</pre>
  );
}
