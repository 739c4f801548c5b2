/**
 * A session as a file: the versioned JSON export (docs/export-format.md) that imports into
 * any workspace and replays identically, and the Markdown of one branch for a pull request.
 * Pure; parsing refuses foreign or damaged files with a 400 that says what is wrong.
 */
import { z } from "zod";
import { MAX_COMMENT_LENGTH } from "@/lib/comments/limits";
import { AppError } from "@/lib/http/errors";
import { findUnstorableText, jsonNestsDeeperThan, MAX_JSON_DEPTH, quote as quoteInput } from "@/lib/http/input";
import { parseJsonObject } from "@/lib/json";
import { sessionSettings } from "@/lib/sessions/schema";
import {
  type ProviderData,
  STEP_KINDS,
  STEP_ORIGINS,
  STEP_STATUSES,
  type StepNode,
  type StepStatus,
} from "@/lib/steps/types";
import type { VirtualFiles } from "@/lib/steps/virtual-files";
import type { CommentAnchor } from "@/lib/wire/comments";
import { MAX_SUMMARY_LENGTH, REVIEW_VERDICTS, type ReviewVerdict } from "@/lib/wire/reviews";
import type { SkippedFile } from "@/lib/wire/sessions";

export const EXPORT_FORMAT = "interleave.session";
export const EXPORT_VERSION = 1;

/** One step as exported: a StepNode without its session and run (ids are the file's own). */
export type ExportedStep = Omit<StepNode, "sessionId" | "runId">;

/**
 * A plan-gate approval of a tool call step (lib/db/approvals.ts). People are exported by
 * name only (`by`): they are no user of the importing workspace. A pending one is exported
 * as `cancelled`: the paused run does not travel, and a run from there asks again.
 */
export interface ExportedApproval {
  /** the tool call, an id in `steps` */
  stepId: string;
  status: "approved" | "rejected" | "cancelled";
  /** where its run continued (or would have): an id in `steps` */
  leafId: string;
  editedContent: string | null;
  comment: string | null;
  by: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** A review comment (lib/db/comments.ts); its id is the file's own, for replies' `parentId`. */
export interface ExportedComment {
  id: string;
  /** an id in `steps` */
  stepId: string;
  /** the thread's first comment, an earlier id in `comments`; null: it starts a thread */
  parentId: string | null;
  /** the author's name ("Someone" when unknown) */
  by: string;
  body: string;
  anchor: CommentAnchor | null;
  resolvedAt: string | null;
  editedAt: string | null;
  createdAt: string;
}

/** A verdict on the branch ending at `leafId` (lib/db/reviews.ts). */
export interface ExportedReview {
  /** an id in `steps` */
  leafId: string;
  verdict: ReviewVerdict;
  summary: string;
  by: string | null;
  createdAt: string;
}

/** The JSON export, version 1. */
export interface SessionExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  session: { title: string; modelId: string; settings: { maxTurns: number }; activeLeafId: string | null };
  startingFiles: { files: { path: string; content: string }[]; skipped: SkippedFile[] };
  /** every step of the tree, each after its parent */
  steps: ExportedStep[];
  /** the review of the session, oldest first; absent from exports made before they were added (read as none) */
  approvals?: ExportedApproval[];
  comments?: ExportedComment[];
  reviews?: ExportedReview[];
}

/** The review a session's export carries, as read from the database. */
export interface ReviewRecords {
  approvals: ExportedApproval[];
  comments: ExportedComment[];
  reviews: ExportedReview[];
}

/** No review: what a fork of a shared branch carries (the team's discussion stays in its workspace). */
export const NO_REVIEW: ReviewRecords = { approvals: [], comments: [], reviews: [] };

/**
 * A streaming step has no run to finish it elsewhere: it is exported as interrupted; a call
 * waiting for a decision as done (its approval as cancelled: the paused run doesn't travel).
 */
function exportedStatus(status: StepStatus): StepStatus {
  if (status === "streaming") return "interrupted";
  return status === "awaiting_approval" ? "done" : status;
}

/** Parents before children, in creation order otherwise (the database's order). */
function parentsFirst(steps: readonly StepNode[]): StepNode[] {
  const ids = new Set(steps.map((step) => step.id));
  const placed = new Set<string>();
  const out: StepNode[] = [];
  let pending = [...steps];
  while (pending.length > 0) {
    const next: StepNode[] = [];
    for (const step of pending) {
      if (step.parentId === null || placed.has(step.parentId) || !ids.has(step.parentId)) {
        out.push(step);
        placed.add(step.id);
      } else next.push(step);
    }
    if (next.length === pending.length) break;
    pending = next;
  }
  return out;
}

/** The export of a session's whole tree, starting files and review. */
export function buildExport({
  session,
  steps,
  startingFiles,
  skipped,
  review,
  exportedAt,
}: {
  session: SessionExport["session"];
  steps: readonly StepNode[];
  startingFiles: VirtualFiles;
  skipped: readonly SkippedFile[];
  review: ReviewRecords;
  exportedAt: Date;
}): SessionExport {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    session,
    startingFiles: {
      files: [...startingFiles.keys()].sort().map((path) => ({ path, content: startingFiles.get(path) ?? "" })),
      skipped: [...skipped],
    },
    // who made a step travels by name only (authorName), never as this server's user id
    steps: parentsFirst(steps).map(({ sessionId: _s, runId: _r, authorId: _a, ...step }) => ({
      ...step,
      status: exportedStatus(step.status),
    })),
    approvals: review.approvals,
    comments: review.comments,
    reviews: review.reviews,
  };
}

const isoDate = z.iso.datetime({ offset: true });
const count = z.number().int().min(0).nullable();

/**
 * The provider data fields the app reads (ProviderData in lib/steps/types.ts), typed, so a
 * hand-edited file can't make replay or the timeline trip over a wrong type; fields this
 * version doesn't know pass through untouched.
 */
const providerDataSchema = z.looseObject({
  route: z.enum(["anthropic", "openai"]).optional(),
  signature: z.string().optional(),
  raw: z.string().optional(),
  reasoningDetails: z.array(z.unknown()).optional(),
  reasoningField: z.enum(["reasoning_content", "reasoning"]).optional(),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  toolInput: z.string().optional(),
  isError: z.boolean().optional(),
  providerMetadata: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  cutAtLimit: z.boolean().optional(),
  file: z.object({ path: z.string(), added: z.number(), removed: z.number() }).optional(),
  testReport: z.record(z.string(), z.unknown()).optional(),
  replayAs: z.enum(["tool_result", "user_message"]).optional(),
  review: z
    .object({
      decision: z.enum(["approved", "edited", "rejected"]),
      by: z.string().nullable(),
      comment: z.string().optional(),
      toolInput: z.string().optional(),
    })
    .optional(),
});

const stepSchema = z.object({
  id: z.string().min(1).max(200),
  parentId: z.string().min(1).max(200).nullable(),
  kind: z.enum(STEP_KINDS),
  origin: z.enum(STEP_ORIGINS),
  status: z.enum(STEP_STATUSES),
  content: z.string(),
  turn: z.number().int().min(1).nullable(),
  providerData: providerDataSchema.nullable(),
  editedFromId: z.string().min(1).max(200).nullable(),
  inputTokens: count,
  outputTokens: count,
  reasoningTokens: count,
  costUsd: z.number().min(0).nullable(),
  createdAt: isoDate,
  firstTokenAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});

const name = z.string().max(200);

const approvalSchema = z.object({
  stepId: z.string().min(1).max(200),
  status: z.enum(["approved", "rejected", "cancelled"]),
  leafId: z.string().min(1).max(200),
  editedContent: z.string().nullable(),
  comment: z.string().nullable(),
  by: name.nullable(),
  decidedAt: isoDate.nullable(),
  createdAt: isoDate,
});

const anchorSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("text"),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    quote: z.string(),
  }),
  z.object({
    kind: z.literal("file"),
    path: z.string().min(1).max(1_000),
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
  }),
]);

const commentSchema = z.object({
  id: z.string().min(1).max(200),
  stepId: z.string().min(1).max(200),
  parentId: z.string().min(1).max(200).nullable(),
  by: name,
  body: z.string().min(1).max(MAX_COMMENT_LENGTH),
  anchor: anchorSchema.nullable(),
  resolvedAt: isoDate.nullable(),
  editedAt: isoDate.nullable(),
  createdAt: isoDate,
});

const reviewSchema = z.object({
  leafId: z.string().min(1).max(200),
  verdict: z.enum(REVIEW_VERDICTS),
  summary: z.string().max(MAX_SUMMARY_LENGTH),
  by: name.nullable(),
  createdAt: isoDate,
});

const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoDate,
  session: z.object({
    title: z.string().trim().min(1).max(200),
    modelId: z.string().min(1).max(200),
    settings: sessionSettings,
    activeLeafId: z.string().min(1).nullable(),
  }),
  startingFiles: z.object({
    files: z.array(z.object({ path: z.string(), content: z.string() })),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
  steps: z.array(stepSchema).min(1),
  approvals: z.array(approvalSchema).optional(),
  comments: z.array(commentSchema).optional(),
  reviews: z.array(reviewSchema).optional(),
});

const importError = (message: string, details?: unknown) =>
  new AppError("bad_request:import", `${message} Nothing was imported.`, details);

/**
 * A parsed export, or a 400 saying why the file can't be imported: not JSON, not an
 * Interleave export, a version this server doesn't read, a damaged tree. Starting files
 * are checked separately by the importer (limits, paths).
 */
export function parseExport(text: string): SessionExport {
  if (jsonNestsDeeperThan(text)) {
    throw importError(
      `This file is not an Interleave session export: it nests more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw importError("This file is not an Interleave session export: it is not JSON.");
  }
  const header = value as { format?: unknown; version?: unknown } | null;
  if (typeof header !== "object" || header === null || header.format !== EXPORT_FORMAT) {
    throw importError(`This file is not an Interleave session export (its "format" is not "${EXPORT_FORMAT}").`);
  }
  if (header.version !== EXPORT_VERSION) {
    const version =
      typeof header.version === "string"
        ? quoteInput(header.version)
        : String(JSON.stringify(header.version)).slice(0, 40);
    throw importError(`This export has format version ${version}; this server reads version ${EXPORT_VERSION}.`);
  }
  const parsed = exportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw importError(
      `The export is damaged: ${issue?.path.join(".") || "file"}: ${issue?.message ?? "invalid"}.`,
      parsed.error.issues.slice(0, 5),
    );
  }
  const data = parsed.data as SessionExport;
  // Steps keep any text the model sent (lib/db/text-codec.ts stores it losslessly); the
  // session's own fields and the starting files are stored as they are, so they can't hold
  // a NUL or a lone surrogate.
  const unstorable = findUnstorableText({
    session: data.session,
    startingFiles: data.startingFiles,
    approvals: data.approvals,
    comments: data.comments,
    reviews: data.reviews,
  });
  if (unstorable) throw importError(`The export is damaged: ${unstorable.path} ${unstorable.reason}.`);
  checkTree(data);
  return data;
}

function checkTree(data: SessionExport): void {
  const seen = new Set<string>();
  for (const step of data.steps) {
    if (seen.has(step.id)) throw importError(`The export is damaged: step ${quoteInput(step.id)} appears twice.`);
    if (step.parentId !== null && !seen.has(step.parentId)) {
      throw importError(
        `The export is damaged: step ${quoteInput(step.id)} comes before its parent ${quoteInput(step.parentId)}.`,
      );
    }
    if (step.parentId === null && step.kind !== "task") {
      throw importError(`The export is damaged: step ${quoteInput(step.id)} has no parent but is not a task.`);
    }
    seen.add(step.id);
  }
  for (const step of data.steps) {
    if (step.editedFromId !== null && !seen.has(step.editedFromId)) {
      throw importError(
        `The export is damaged: step ${quoteInput(step.id)} was edited from a step that is not in the file.`,
      );
    }
  }
  const leaf = data.session.activeLeafId;
  if (leaf !== null && !seen.has(leaf)) {
    throw importError("The export is damaged: the branch it shows is not in the file.");
  }
  checkReview(data, seen);
}

/** Every approval, comment and review points at steps of the file; a reply at an earlier thread. */
function checkReview(data: SessionExport, steps: ReadonlySet<string>): void {
  const approved = new Set<string>();
  for (const approval of data.approvals ?? []) {
    if (!steps.has(approval.stepId) || !steps.has(approval.leafId)) {
      throw importError("The export is damaged: an approval names a step that is not in the file.");
    }
    if (approved.has(approval.stepId)) {
      throw importError(`The export is damaged: step ${quoteInput(approval.stepId)} has two approvals.`);
    }
    approved.add(approval.stepId);
  }
  const threads = new Set<string>();
  const comments = new Set<string>();
  for (const comment of data.comments ?? []) {
    if (comments.has(comment.id)) {
      throw importError(`The export is damaged: comment ${quoteInput(comment.id)} appears twice.`);
    }
    comments.add(comment.id);
    if (!steps.has(comment.stepId)) {
      throw importError("The export is damaged: a comment is on a step that is not in the file.");
    }
    if (comment.parentId === null) threads.add(comment.id);
    else if (!threads.has(comment.parentId)) {
      throw importError(
        `The export is damaged: comment ${quoteInput(comment.id)} replies to a thread that does not come before it.`,
      );
    }
  }
  for (const review of data.reviews ?? []) {
    if (!steps.has(review.leafId)) {
      throw importError("The export is damaged: a branch review names a step that is not in the file.");
    }
  }
}

/** A code fence longer than any backtick run in the content, so the content can't close it. */
function fence(content: string, info = ""): string {
  const longestRun = (content.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 2);
  const marks = "`".repeat(longestRun + 1);
  const body = content.endsWith("\n") || content === "" ? content : `${content}\n`;
  return `${marks}${info}\n${body}${marks}`;
}

function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

const extension = (path: string) => path.match(/\.([A-Za-z0-9]+)$/)?.[1]?.toLowerCase() ?? "";

function toolCallMarkdown(data: ProviderData | null, content: string): string {
  const name = data?.toolName ?? "tool";
  const input = parseJsonObject(data?.toolInput ?? content);
  const path = typeof input?.path === "string" ? input.path : null;
  const title = `**${name}**${path ? ` \`${path}\`` : ""}`;
  if (name === "write_file" && typeof input?.content === "string") {
    return `${title}\n\n${fence(input.content, extension(path ?? ""))}`;
  }
  if (name === "edit_file" && typeof input?.old_string === "string" && typeof input.new_string === "string") {
    const lines = [
      ...input.old_string.split("\n").map((line) => `-${line}`),
      ...input.new_string.split("\n").map((line) => `+${line}`),
    ];
    return `${title}\n\n${fence(lines.join("\n"), "diff")}`;
  }
  if (name === "read_file" || name === "list_files") return title;
  return `${title}\n\n${fence(data?.toolInput ?? content, "json")}`;
}

/**
 * The branch `path` (root first) as Markdown: the task, then each step as the timeline
 * shows it — thinking quoted, text as written, tool calls with their file content or
 * edit, results fenced. `startingFiles` lists what the project began with.
 */
export function branchMarkdown({
  title,
  modelId,
  path,
  startingPaths,
}: {
  title: string;
  modelId: string;
  path: readonly StepNode[];
  startingPaths: readonly string[];
}): string {
  const out = [`# ${title}`, "", `_Exported from Interleave · model ${modelId} · ${path.length} steps_`];
  for (const step of path) {
    out.push("");
    switch (step.kind) {
      case "task":
        out.push("## Task", "", step.content.trim());
        if (startingPaths.length > 0) {
          out.push("", `Starting files (${startingPaths.length}):`, "");
          out.push(...startingPaths.slice(0, 200).map((p) => `- \`${p}\``));
          if (startingPaths.length > 200) out.push(`- … and ${startingPaths.length - 200} more`);
        }
        break;
      case "thinking":
        out.push(`### Thinking${step.turn ? ` (turn ${step.turn})` : ""}`, "", quote(step.content) || "> …");
        break;
      case "text":
        out.push(`### Answer${step.turn ? ` (turn ${step.turn})` : ""}`, "", step.content.trim());
        break;
      case "tool_call":
        out.push(`### Tool call`, "", toolCallMarkdown(step.providerData, step.content));
        break;
      case "tool_result":
        out.push(`### Tool result${step.providerData?.isError ? " (error)" : ""}`, "", fence(step.content));
        break;
      case "user_note":
        out.push("### Note from a person", "", step.content.trim());
        break;
    }
  }
  return `${out.join("\n")}\n`;
}
