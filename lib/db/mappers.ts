import { type AuthorRows, authorLabel } from "@/lib/auth/authors";
import type { Run, Session, Step } from "@/lib/generated/prisma/client.ts";
import { readSettings } from "@/lib/sessions/schema";
import type { ProviderData, RunStatus, StepKind, StepNode, StepOrigin, StepStatus } from "@/lib/steps/types";
import type { RunView, SessionSummary } from "@/lib/wire/sessions";
import { decodeDbJson, decodeDbText, decodeDbTextOrNull, encodeDbJson, encodeDbText } from "./text-codec";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * A row selected as JSON (`row_to_json`, see sql.ts) with its timestamps as Dates again:
 * JSON gives a `timestamp(3)` as an ISO string without a zone, and it holds UTC.
 */
export function withUtcDates<Row>(json: Record<string, unknown>, keys: ReadonlyArray<keyof Row & string>): Row {
  const revived: Record<string, unknown> = { ...json };
  for (const key of keys) {
    const value = json[key];
    if (typeof value === "string") revived[key] = new Date(`${value}Z`);
  }
  return revived as Row;
}

export const STEP_DATES = ["createdAt", "firstTokenAt", "finishedAt"] as const satisfies ReadonlyArray<keyof Step>;
export const SESSION_DATES = ["createdAt", "updatedAt"] as const satisfies ReadonlyArray<keyof Session>;
export const RUN_DATES = [
  "createdAt",
  "startedAt",
  "finishedAt",
  "cancelRequestedAt",
  "leaseExpiresAt",
] as const satisfies ReadonlyArray<keyof Run>;

export function toSessionSummary(row: Session): SessionSummary {
  return {
    id: row.id,
    title: row.title,
    modelId: row.modelId,
    settings: readSettings(row.settings),
    activeLeafId: row.activeLeafId,
    comparisonId: row.comparisonId,
    forkedFrom: row.forkedFromSessionId
      ? { sessionId: row.forkedFromSessionId, stepId: row.forkedFromStepId ?? null }
      : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * A step's model-output columns as they are stored: NUL and lone surrogates escaped
 * (text-codec.ts). Every write of a step's content or provider data goes through this,
 * every read through `toStepNode`.
 */
export function toStepColumns<T extends { content: string; providerData: ProviderData | null }>(step: T): T {
  return { ...step, content: encodeDbText(step.content), providerData: encodeDbJson(step.providerData) };
}

/**
 * What a step or run read selects besides its row to name its author (`include` it):
 * the user's name and the API token's, never anything secret.
 */
export const AUTHOR_INCLUDE = {
  user: { select: { name: true, isAnonymous: true } },
  apiToken: { select: { name: true } },
} as const;

/**
 * What a run read selects besides its row (`include` it): its author (AUTHOR_INCLUDE) and
 * the id of the run that resumed it, if one did.
 */
export const RUN_INCLUDE = { ...AUTHOR_INCLUDE, resumedBy: { select: { id: true } } } as const;

/** `{ authorName }` when the row was read with its author (AUTHOR_INCLUDE) and has one; else nothing. */
function authorField<K extends string>(key: K, rows: AuthorRows): { [P in K]?: string } {
  if (rows.user === undefined && rows.apiToken === undefined) return {};
  const label = authorLabel(rows);
  return (label === null ? {} : { [key]: label }) as { [P in K]?: string };
}

/** `{ authorId }` beside authorField's name: the step's user, when it was read with its author and names one. */
function authorIdField(row: Step & AuthorRows): { authorId?: string } {
  if (row.user === undefined && row.apiToken === undefined) return {};
  return row.userId && authorLabel(row) !== null ? { authorId: row.userId } : {};
}

/**
 * A step row (as Prisma reads it) as the step the model sent: the inverse of `toStepColumns`.
 * Read with AUTHOR_INCLUDE, it carries its author's name.
 */
export function toStepNode(row: Step & AuthorRows): StepNode {
  return {
    id: row.id,
    sessionId: row.sessionId,
    parentId: row.parentId,
    runId: row.runId,
    kind: row.kind as StepKind,
    origin: row.origin as StepOrigin,
    status: row.status as StepStatus,
    content: decodeDbText(row.content),
    turn: row.turn,
    providerData: decodeDbJson((row.providerData ?? null) as ProviderData | null),
    editedFromId: row.editedFromId,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    reasoningTokens: row.reasoningTokens,
    // only an estimate is worth saying: absent means reported (or no reasoning)
    ...(row.reasoningEstimated ? { reasoningEstimated: true } : {}),
    costUsd: row.costUsd,
    ...authorField("authorName", row),
    ...authorIdField(row),
    createdAt: row.createdAt.toISOString(),
    firstTokenAt: iso(row.firstTokenAt),
    finishedAt: iso(row.finishedAt),
  };
}

/**
 * A run row as viewers see it; read with RUN_INCLUDE, it carries who started it and
 * `resumedByRunId` (without, that field is absent: the row alone doesn't say).
 */
export function toRunView(row: Run & AuthorRows & { resumedBy?: { id: string } | null }): RunView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    fromStepId: row.fromStepId,
    modelId: row.modelId,
    status: row.status as RunStatus,
    errorCode: row.errorCode,
    errorMessage: decodeDbTextOrNull(row.errorMessage),
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    reasoningTokens: row.reasoningTokens,
    reasoningEstimated: row.reasoningEstimated,
    costUsd: row.costUsd,
    ...authorField("startedByName", row),
    resumesRunId: row.resumesRunId ?? null,
    ...(row.resumedBy === undefined ? {} : { resumedByRunId: row.resumedBy?.id ?? null }),
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
