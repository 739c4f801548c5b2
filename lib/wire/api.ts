/**
 * The browser's typed API calls: one function per call the pages make, over `apiFetch`
 * (./client.ts). Each resolves to the response body the route documents, or rejects with
 * an `ApiError` carrying the server's `{ error: { code, message } }` (lib/wire/errors.ts) —
 * or "unavailable:network" when the server can't be reached. Code in a page's first
 * JavaScript that calls them only after the page is up fetches them with `loadApi()`
 * (./load-api.ts) instead of importing them, so that JavaScript need not hold them all.
 */

import type { TestReport } from "@/lib/sandbox/types";
import type { StepNode } from "@/lib/steps/types";
import type { DecideApprovalBody } from "./approvals";
import { apiFetch, withShare } from "./client";
import type { CommentList, CommentView, CreateCommentBody, SendCommentPreview, UpdateCommentBody } from "./comments";
import type { ComparisonView, CreateComparisonBody } from "./compare";
import type { PresenceBody } from "./presence";
import type { BranchReviewView, CreateReviewBody, ReviewQueue } from "./reviews";
import type {
  CreateSessionBody,
  EditStepBody,
  RunView,
  SaveFileBody,
  SessionSummary,
  StartRunBody,
  TestRunBody,
  UpdateSessionBody,
} from "./sessions";
import type { ApiTokenView, CreateShareBody, CreateTokenBody, MintedShareLink, ShareLinkView } from "./shares";
import type { StartSuiteRunBody, SuiteRunResponse } from "./suites";

const session = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
const share = (id: string) => `/api/shares/${encodeURIComponent(id)}`;
const post = (json?: unknown) => ({ method: "POST", json });

/** The calls, one per route the pages use (see the top of this file). */
export const api = {
  /** JSON, or multipart with starting files (lib/project/form.ts) */
  createSession: (body: CreateSessionBody | FormData) =>
    apiFetch<{ session: SessionSummary }>(
      "/api/sessions",
      body instanceof FormData ? { method: "POST", body } : post(body),
    ),
  /** a session exported as JSON (docs/export-format.md), sent as it was read */
  importSession: (exported: Blob) =>
    apiFetch<{ session: SessionSummary; notices: string[] }>("/api/sessions/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: exported,
    }),
  updateSession: (id: string, body: UpdateSessionBody) =>
    apiFetch<{ session: SessionSummary }>(session(id), { method: "PATCH", json: body }),
  deleteSession: (id: string) => apiFetch<null>(session(id), { method: "DELETE" }),
  startRun: (sessionId: string, body: StartRunBody) =>
    apiFetch<{ run: RunView }>(`${session(sessionId)}/runs`, post(body)),
  /** the run's new status also arrives on the session's stream */
  /** the step this tab has selected, for the session's other viewers (presence); 204 */
  /** `share`: as a share link's viewer, whose page's no-referrer policy would send `Origin: null` (refused) */
  setPresence: (sessionId: string, body: PresenceBody, share: string | null = null) =>
    apiFetch<null>(withShare(`${session(sessionId)}/presence`, share), {
      ...post(body),
      referrerPolicy: "same-origin",
    }),
  branchReviews: (sessionId: string, leafId: string) =>
    apiFetch<{ reviews: BranchReviewView[] }>(`${session(sessionId)}/reviews?leaf=${encodeURIComponent(leafId)}`),
  addBranchReview: (sessionId: string, body: CreateReviewBody) =>
    apiFetch<{ review: BranchReviewView }>(`${session(sessionId)}/reviews`, post(body)),
  reviewQueue: () => apiFetch<ReviewQueue>("/api/reviews"),
  /** the session's review comments, who may be @mentioned, and who you are (to edit your own) */
  listComments: (sessionId: string) => apiFetch<CommentList>(`${session(sessionId)}/comments`),
  /** its event reaches every viewer too (comment.created) */
  createComment: (sessionId: string, body: CreateCommentBody) =>
    apiFetch<{ comment: CommentView }>(`${session(sessionId)}/comments`, post(body)),
  updateComment: (sessionId: string, commentId: string, body: UpdateCommentBody) =>
    apiFetch<{ comment: CommentView }>(`${session(sessionId)}/comments/${encodeURIComponent(commentId)}`, {
      method: "PATCH",
      json: body,
    }),
  /** its author only; a first comment with replies stays, marked deleted (comment.updated / comment.deleted) */
  deleteComment: (sessionId: string, commentId: string) =>
    apiFetch<null>(`${session(sessionId)}/comments/${encodeURIComponent(commentId)}`, { method: "DELETE" }),
  /** what Send to model would do: ride in the tool result before it, or be a new message */
  previewCommentSend: (sessionId: string, commentId: string) =>
    apiFetch<SendCommentPreview>(`${session(sessionId)}/comments/${encodeURIComponent(commentId)}/send`),
  /** Send to model: the comment becomes a step after its step, and a run goes on from it (202) */
  sendComment: (sessionId: string, commentId: string) =>
    apiFetch<{ step: StepNode; run: RunView }>(
      `${session(sessionId)}/comments/${encodeURIComponent(commentId)}/send`,
      post(),
    ),
  cancelRun: (runId: string) => apiFetch<{ run: RunView }>(`/api/runs/${encodeURIComponent(runId)}/cancel`, post()),
  editStep: (sessionId: string, stepId: string, body: EditStepBody) =>
    apiFetch<{ step: StepNode }>(`${session(sessionId)}/steps/${encodeURIComponent(stepId)}/edit`, post(body)),
  /** the plan gate: approve (optionally with the reviewer's file), or reject with a comment; the run goes on */
  decideApproval: (sessionId: string, stepId: string, body: DecideApprovalBody) =>
    apiFetch<{ run: RunView; step: StepNode }>(
      `${session(sessionId)}/steps/${encodeURIComponent(stepId)}/approval`,
      post(body),
    ),
  saveFile: (sessionId: string, body: SaveFileBody) =>
    apiFetch<{ step: StepNode }>(`${session(sessionId)}/files`, post(body)),
  runTests: (sessionId: string, body: TestRunBody) =>
    apiFetch<{ step: StepNode; report: TestReport }>(`${session(sessionId)}/test-runs`, post(body)),
  /** the content of some of the session's starting files, path → text; `share`: as a share link's viewer */
  startingFileContents: (sessionId: string, paths: readonly string[], share: string | null = null) =>
    apiFetch<{ files: Record<string, string> }>(
      withShare(
        `${session(sessionId)}/starting-files/content?${new URLSearchParams(paths.map((path) => ["path", path]))}`,
        share,
      ),
    ),
  /** the session's share links, newest first (never their tokens) */
  sessionShares: (sessionId: string) => apiFetch<{ shares: ShareLinkView[] }>(`${session(sessionId)}/shares`),
  /** a new share link: its token is in this response only */
  createShare: (sessionId: string, body: CreateShareBody) =>
    apiFetch<MintedShareLink>(`${session(sessionId)}/shares`, post(body)),
  /** every share link of the workspace */
  workspaceShares: () => apiFetch<{ shares: ShareLinkView[] }>("/api/shares"),
  revokeShare: (id: string) => apiFetch<{ share: ShareLinkView }>(share(id), { method: "DELETE" }),
  /** a new URL for a link; the old one stops working at once */
  remintShare: (id: string) => apiFetch<MintedShareLink>(`${share(id)}/remint`, post()),
  /**
   * Fork to my workspace: the shared branch (or `leafId` on it) copied into a new session
   * of the caller's workspace. Sent with a same-origin referrer policy: the share page's own
   * `no-referrer` would make the browser send `Origin: null`, which the server refuses.
   */
  forkShared: (body: { token: string; leafId?: string }) =>
    apiFetch<{ session: SessionSummary }>("/api/sessions/fork", { ...post(body), referrerPolicy: "same-origin" }),
  /** your API tokens in this workspace (never the tokens themselves) */
  apiTokens: () => apiFetch<{ tokens: ApiTokenView[] }>("/api/tokens"),
  /** a new API token: the token is in this response only */
  createApiToken: (body: CreateTokenBody) =>
    apiFetch<{ token: string; apiToken: ApiTokenView }>("/api/tokens", post(body)),
  revokeApiToken: (id: string) =>
    apiFetch<{ apiToken: ApiTokenView }>(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
  createComparison: (body: CreateComparisonBody) =>
    apiFetch<{ comparison: { id: string } }>("/api/comparisons", post(body)),
  getComparison: (id: string) => apiFetch<{ comparison: ComparisonView }>(`/api/comparisons/${encodeURIComponent(id)}`),
  startSuiteRun: (body: StartSuiteRunBody) => apiFetch<SuiteRunResponse>("/api/suite-runs", post(body)),
  getSuiteRun: (id: string) => apiFetch<SuiteRunResponse>(`/api/suite-runs/${encodeURIComponent(id)}`),
  cancelSuiteRun: (id: string) =>
    apiFetch<SuiteRunResponse>(`/api/suite-runs/${encodeURIComponent(id)}/cancel`, post()),
};
