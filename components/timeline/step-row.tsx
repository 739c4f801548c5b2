"use client";

import { memo, useContext, useState } from "react";
import type { StepNode } from "@/lib/steps/types";
import type { Viewer } from "@/lib/wire/presence";
import { ApprovalBar, ReviewBadge } from "../review/approval-bar";
import { useCan } from "../session/session-access";
import { Badge } from "../ui/badge";
import { StepWatchers } from "../ui/viewer-faces";
import { CommentCount, StepComments } from "./comments";
import { EditDiff, StepEditor, StepMarkdown, UserNoteBody } from "./lazy-parts";
import { SiblingSwitcher } from "./sibling-switcher";
import { RunActiveContext, type StepActions } from "./step-actions";
import { isEditable, KIND_DOT, kindLabel } from "./step-kind";
import { StepMeta } from "./step-meta";
import { TestCountsBadge } from "./test-counts";
import { ThinkingBody } from "./thinking-body";
import { ToolCallBody, ToolCallSummary } from "./tool-call-body";
import { ResultBadge, ToolResultBody } from "./tool-result-body";

export interface StepRowProps {
  step: StepNode;
  /** 1-based position on the path */
  number: number;
  /** 0-based position on the path, for the virtualiser (`data-index`) */
  index?: number;
  /** the virtualiser's measuring ref */
  measure?: (element: HTMLLIElement | null) => void;
  /** the step this one was edited from, for its diff */
  original: StepNode | undefined;
  siblingPosition: number;
  siblingCount: number;
  selected: boolean;
  /** the other viewers who have this step selected (presence) */
  watchers?: readonly Viewer[];
  actions: StepActions;
}

/**
 * One step of the path. Memoised on its props, all of which keep their identity unless
 * this step changed: a streaming delta re-renders only the step it extends.
 */
export const StepRow = memo(function StepRow(props: StepRowProps) {
  const { step, number, index, measure, original, selected, actions } = props;
  const [editing, setEditing] = useState(false);
  const [showDiff, setShowDiff] = useState(false);
  const edited = step.origin === "human_edit";
  // Someone who may neither edit nor run (a viewer, a share link's visitor) can only see an edit's diff.
  const canEdit = useCan("steps:edit");
  const canRun = useCan("runs:start");
  const hasActions = (canEdit && isEditable(step)) || canRun || (edited && original !== undefined);
  const rowActions = (
    <RowActions
      {...props}
      showDiff={showDiff}
      onEdit={() => setEditing(true)}
      onToggleDiff={() => setShowDiff(!showDiff)}
    />
  );

  return (
    <li
      ref={measure}
      data-index={index}
      data-step-id={step.id}
      aria-current={selected ? "step" : undefined}
      aria-label={`Step ${number}: ${kindLabel(step)}`}
      className={`step-row group/step relative py-2 pr-3 pl-8 ${
        selected ? "bg-violet-50 dark:bg-violet-950/25" : "hover:bg-zinc-100/60 dark:hover:bg-zinc-900/50"
      }`}
    >
      <span aria-hidden className="absolute top-0 bottom-0 left-[15px] w-px bg-zinc-200 dark:bg-zinc-800" />
      <span
        aria-hidden
        className={`absolute top-[13px] left-[12px] h-[7px] w-[7px] rounded-full ring-2 ring-zinc-50 dark:ring-zinc-950 ${KIND_DOT[step.kind]} ${
          step.status === "streaming" ? "animate-pulse" : ""
        }`}
      />
      {selected ? <span aria-hidden className="absolute top-0 bottom-0 left-0 w-0.5 bg-violet-500" /> : null}

      <div className="flex min-h-6 flex-wrap items-center gap-x-2 gap-y-0.5 text-xs">
        {step.kind === "tool_call" ? (
          <ToolCallSummary step={step} />
        ) : (
          <span
            className={`font-medium ${step.kind === "thinking" ? "text-violet-700 dark:text-violet-300" : "text-zinc-800 dark:text-zinc-200"}`}
          >
            {kindLabel(step)}
          </span>
        )}
        {step.kind === "tool_result" ? <ResultBadge step={step} /> : null}
        {step.kind === "tool_result" ? <ReviewBadge step={step} /> : null}
        {step.kind === "user_note" && step.providerData?.testReport ? (
          <TestCountsBadge report={step.providerData.testReport} />
        ) : null}
        <StatusBadge step={step} />
        {edited ? <Badge tone="warning">edited</Badge> : null}
        <CommentCount stepId={step.id} onOpen={() => actions.select(step.id)} />
        {props.siblingCount > 1 ? (
          <SiblingSwitcher
            stepId={step.id}
            position={props.siblingPosition}
            count={props.siblingCount}
            actions={actions}
          />
        ) : null}
        <span className="ml-auto inline-flex items-center gap-2">
          {props.watchers?.length ? <StepWatchers viewers={props.watchers} /> : null}
          <StepMeta step={step} />
        </span>
      </div>

      <div className="mt-1 min-w-0">
        {editing ? (
          <StepEditor step={step} actions={actions} onClose={() => setEditing(false)} />
        ) : (
          <StepBody step={step} />
        )}
        {step.kind === "tool_call" && step.status === "awaiting_approval" ? (
          <ApprovalBar step={step} actions={actions} />
        ) : null}
        {selected && step.status !== "streaming" ? <StepComments step={step} /> : null}
        {edited && showDiff && original && !editing ? (
          <div className="mt-2 space-y-1">
            <p className="text-[11px] font-medium tracking-wide text-zinc-500 dark:text-zinc-400 uppercase">
              Changes against the original
            </p>
            <EditDiff original={original.content} edited={step.content} />
          </div>
        ) : null}
      </div>

      {/* A step still being written has nothing to act on yet. */}
      {editing || step.status === "streaming" || !hasActions ? null : selected ? (
        <div className="mt-1.5 flex flex-wrap items-center gap-1">{rowActions}</div>
      ) : (
        // Hover toolbar: reserves no room in the row; focusable while invisible, shown on focus.
        <div className="absolute top-1 right-2 flex items-center gap-0.5 rounded-md border border-zinc-200 bg-white p-0.5 opacity-0 shadow-sm transition-opacity group-focus-within/step:opacity-100 group-hover/step:opacity-100 dark:border-zinc-700 dark:bg-zinc-900">
          {rowActions}
        </div>
      )}
    </li>
  );
});

function RowActions({
  step,
  original,
  actions,
  showDiff,
  onEdit,
  onToggleDiff,
}: StepRowProps & { showDiff: boolean; onEdit: () => void; onToggleDiff: () => void }) {
  const runActive = useContext(RunActiveContext);
  const canEdit = useCan("steps:edit");
  const canRun = useCan("runs:start");
  const diff =
    step.origin === "human_edit" && original ? (
      <RowButton onClick={onToggleDiff} pressed={showDiff}>
        Show diff against original
      </RowButton>
    ) : null;
  return (
    <>
      {canEdit && isEditable(step) ? <RowButton onClick={onEdit}>Edit</RowButton> : null}
      {diff}
      {canRun ? (
        <RowButton
          onClick={() => actions.regenerate(step.id)}
          disabled={runActive}
          title={
            runActive ? "Wait for the current run to finish, or stop it" : "Continue from this step on a new branch"
          }
        >
          Regenerate from here
        </RowButton>
      ) : null}
    </>
  );
}

function RowButton({
  children,
  onClick,
  disabled,
  title,
  pressed,
}: {
  children: React.ReactNode;
  onClick: () => void;
  disabled?: boolean;
  title?: string;
  pressed?: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      title={title}
      aria-pressed={pressed}
      className="rounded px-1.5 py-0.5 text-[11px] font-medium text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 disabled:cursor-not-allowed disabled:opacity-40 disabled:hover:bg-transparent dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {children}
    </button>
  );
}

function StatusBadge({ step }: { step: StepNode }) {
  // the model's output limit ended its turn here: a cut text, or a tool call that was not run
  if (step.providerData?.cutAtLimit && step.status !== "streaming") {
    return (
      <Badge
        tone="warning"
        title={
          step.kind === "tool_call"
            ? "The output hit the token limit inside this tool call, so it was not run. Continue resumes the turn."
            : "The output hit the token limit here. Continue resumes the turn."
        }
      >
        {step.kind === "tool_call" ? "cut at the token limit · not run" : "cut at the token limit"}
      </Badge>
    );
  }
  switch (step.status) {
    case "streaming":
      return <span className="text-[11px] text-violet-700 dark:text-violet-400">streaming</span>;
    case "interrupted":
      return <Badge tone="warning">interrupted</Badge>;
    case "error":
      return step.kind === "tool_result" ? null : <Badge tone="danger">error</Badge>;
    case "awaiting_approval":
      return <Badge tone="info">awaiting approval</Badge>;
    case "done":
      return null;
  }
}

function StepBody({ step }: { step: StepNode }) {
  switch (step.kind) {
    case "task":
      return <p className="text-sm leading-relaxed whitespace-pre-wrap break-words">{step.content}</p>;
    case "thinking":
      return <ThinkingBody step={step} />;
    case "text":
      return step.content === "" && step.status === "streaming" ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Writing…</p>
      ) : (
        <StepMarkdown text={step.content} />
      );
    case "tool_call":
      return <ToolCallBody step={step} />;
    case "tool_result":
      return <ToolResultBody step={step} />;
    case "user_note":
      return <UserNoteBody step={step} />;
  }
}
