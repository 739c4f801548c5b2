/**
 * What crosses the wire about sessions and runs: plain, JSON-safe shapes (dates as ISO
 * strings) that the server's data layer produces (lib/db/mappers.ts), the API returns and
 * the browser holds. Steps are the step tree's `StepNode` (lib/steps/types.ts). Nothing
 * here imports a server module: both sides import this.
 */
import type { RunStatus } from "@/lib/steps/types";

/**
 * A session's settings as stored; a missing maxTurns reads as the default
 * (lib/sessions/schema.ts). A type, not an interface, so it is a JSON object to Prisma.
 */
export type SessionSettings = {
  /** the most model turns one run may take */
  maxTurns: number;
  /** a run cut off by its server stopping starts again on its own from the branch's last complete step; absent: off */
  resumeInterrupted?: boolean;
  /** the plan gate: each file-writing tool call waits for a reviewer's decision; absent: off */
  askBeforeApplying?: boolean;
};

export interface SessionSummary {
  id: string;
  title: string;
  modelId: string;
  settings: SessionSettings;
  activeLeafId: string | null;
  /** set when Compare started this session alongside others on the same task */
  comparisonId?: string | null;
  /** set when this session was forked from a share link: the shared session and the step it was copied up to */
  forkedFrom?: { sessionId: string; stepId: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RunView {
  id: string;
  sessionId: string;
  fromStepId: string | null;
  modelId: string;
  status: RunStatus;
  errorCode: string | null;
  errorMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** reasoningTokens includes estimates from thinking text (the route reported only output tokens) */
  reasoningEstimated: boolean;
  costUsd: number;
  /**
   * who started it, named as the timeline names people (a person, "Guest", or a bot's
   * token name); absent/null for runs nobody signed in started (a suite's, a resume's
   * without a starter, the local instance's). A run's starter never changes, so an update
   * without it keeps the one the viewer has (session-state.ts).
   */
  startedByName?: string | null;
  /**
   * the run of the same session this one continues: the server started it in that run's
   * place after the run's server stopped (the session resumes runs, or a suite's task);
   * null for any other run, a Retry included
   */
  resumesRunId: string | null;
  /**
   * the run that continues this one (its `resumesRunId` is this run's id), null while none
   * does; absent where the sender does not say (an update written from the run's row alone),
   * and a run's continuation never changes, so the viewer keeps the one it has
   */
  resumedByRunId?: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A file left out of an uploaded project, and why, in words. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** POST /api/sessions (JSON; with starting files it is multipart, lib/project/form.ts). */
export interface CreateSessionBody {
  task: string;
  modelId?: string;
  maxTurns?: number;
}

/** PATCH /api/sessions/:id: only the fields sent change; at least one is required. */
export interface UpdateSessionBody {
  title?: string;
  maxTurns?: number;
  resumeInterrupted?: boolean;
  askBeforeApplying?: boolean;
  activeLeafId?: string;
}

/** POST /api/sessions/:id/runs: where the run continues from (default: the session's active leaf). */
export interface StartRunBody {
  fromStepId?: string;
}

/** POST /api/sessions/:id/steps/:stepId/edit: the new text; the edit becomes a sibling of the step. */
export interface EditStepBody {
  content: string;
}

/** POST /api/sessions/:id/files: a person's save in the editor, a step after `afterStepId`. */
export interface SaveFileBody {
  afterStepId: string;
  path: string;
  content: string;
}

/** POST /api/sessions/:id/test-runs: run the tests in the files at `afterStepId` (all test files, or `paths`). */
export interface TestRunBody {
  afterStepId: string;
  paths?: string[];
}
