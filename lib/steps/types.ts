import type { TestReport } from "@/lib/sandbox/types";

/**
 * The step tree's vocabulary, shared by the database layer, the agent loop, the
 * realtime events and the UI. A session's history is a tree of steps; a branch is a leaf.
 */

export const STEP_KINDS = ["task", "thinking", "text", "tool_call", "tool_result", "user_note"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The steps a person may rewrite in place (an edit becomes a sibling; the original stays). */
export const EDITABLE_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["task", "thinking", "text"]);

export const STEP_ORIGINS = ["model", "human", "human_edit"] as const;
export type StepOrigin = (typeof STEP_ORIGINS)[number];

export const STEP_STATUSES = ["streaming", "done", "interrupted", "error", "awaiting_approval"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_STATUSES = ["queued", "running", "awaiting_approval", "done", "cancelled", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these is still going: one per session at a time. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "awaiting_approval"];
/**
 * A run in one of these is held by an instance's lease (lib/agent/run-lease.ts); a queued
 * run is held by the durable queue (lib/agent/run-queue.ts) until an instance claims it,
 * and a run awaiting approval by nobody: it waits for a reviewer, with no owner and no
 * lease, for as long as it takes, and the instance that takes the decision continues it
 * (lib/review/approvals.ts).
 */
export const LEASED_RUN_STATUSES: readonly RunStatus[] = ["running"];

/** Which wire format a turn was generated on; decides how it is replayed. */
export type ModelRoute = "anthropic" | "openai";

/**
 * What a step must remember to replay its turn to the provider exactly.
 * - thinking: `signature` (Anthropic route, only when the model's own text is untouched),
 *   `raw` (OpenAI route: the exact `<think>…</think>` slice of the message content),
 *   `reasoningDetails` (OpenAI route with reasoning_split), `reasoningField` (OpenAI route
 *   behind a vLLM/SGLang reasoning parser: `reasoning_content` or `reasoning`, where the
 *   reasoning came and is replayed).
 * - text: `raw` (OpenAI route: the exact slice of content after `</think>`).
 * - tool_call: id, name and the arguments string exactly as the model sent them.
 * - tool_result: the call it answers and whether it failed.
 * - a test run (a run_tests tool_result, or a person's Run — a user_note with toolName
 *   run_tests): the report, trimmed for storage (lib/agent/test-runs.ts), for the timeline.
 * - any step of another provider (OpenAI, Anthropic, OpenAI-compatible): `providerMetadata`,
 *   what the AI SDK provider attached to the part (Anthropic's thinking `signature` or
 *   `redactedData`, OpenAI's reasoning `itemId` and `reasoningEncryptedContent`), keyed by
 *   provider, sent back as the part's providerOptions so the provider replays it by its rules.
 */
export interface ProviderData {
  route?: ModelRoute;
  signature?: string;
  raw?: string;
  reasoningDetails?: unknown[];
  reasoningField?: "reasoning_content" | "reasoning";
  toolCallId?: string;
  toolName?: string;
  toolInput?: string;
  isError?: boolean;
  providerMetadata?: Record<string, Record<string, unknown>>;
  /**
   * The model's output limit (max_tokens) ended its turn inside this step: the text is cut
   * short (a cut tool call is `interrupted` and never run). Continue resumes the turn.
   */
  cutAtLimit?: boolean;
  /** file touched by a write/edit tool call, and its line delta, for display */
  file?: { path: string; added: number; removed: number };
  /** a run_tests result or a person's test run: the report, for display (the model reads `content`) */
  testReport?: TestReport;
  /**
   * a person's test run or file save (user_note): how it reaches the model on the next run,
   * decided from the path when it was made — "tool_result" appended to the tool result it
   * follows (the model's thinking is kept), "user_message" where no tool result can carry it
   * (the model then starts a fresh turn)
   */
  replayAs?: "tool_result" | "user_message";
  /**
   * a tool_result of a call the plan gate paused (lib/review/approvals.ts): the reviewer's
   * decision and name, their comment, and — edit then approve — the write_file input that
   * was applied instead of the model's (files.ts applies it; the call itself replays as sent)
   */
  review?: ReviewRecord;
  /** a reviewer's comment sent to the model (a user_note; its text is the step's content): the comment and its author */
  comment?: { id: string; by: string };
}

/** A reviewer's decision on a paused file-writing call, as its tool result keeps it. */
export interface ReviewRecord {
  decision: "approved" | "edited" | "rejected";
  /** the reviewer's display name; null without accounts */
  by: string | null;
  comment?: string;
  /** edited: the write_file input applied in place of the call's own */
  toolInput?: string;
}

/** A step as the tree functions, the wire and the UI see it (dates as ISO strings). */
export interface StepNode {
  id: string;
  sessionId: string;
  parentId: string | null;
  runId: string | null;
  kind: StepKind;
  origin: StepOrigin;
  status: StepStatus;
  content: string;
  /** ordinal of the assistant message this step belongs to along its path (1-based); null for task/user steps */
  turn: number | null;
  providerData: ProviderData | null;
  editedFromId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  /** reasoningTokens is an estimate from the thinking text (the route reported only output tokens); absent/null: reported or none */
  reasoningEstimated?: boolean | null;
  costUsd: number | null;
  /**
   * who made it, as the timeline names them (lib/auth/authors.ts authorLabel): a person's
   * name, "Guest", or a bot's token name; absent/null for the model's steps and steps
   * nobody signed in made
   */
  authorName?: string | null;
  /**
   * who made it, as their user id (a bot's token: the person it acts for), read with the
   * name: a page tells its own person's steps by it (a test run of theirs that ends frees
   * one of their places, components/editor/test-run-notice.ts); absent where authorName is
   */
  authorId?: string | null;
  createdAt: string;
  firstTokenAt: string | null;
  finishedAt: string | null;
}
