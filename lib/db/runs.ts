import type { RunStatus } from "@/lib/steps/types";
import type { RawQuery } from "./sql";

/**
 * The writes a run makes to its own row while it goes: after every turn and once at the
 * end. Straight SQL (see sql.ts): all concurrent runs reach a turn's end together, and
 * Prisma's per-query CPU there would hold up every other run's stream.
 */

export interface RunTotals {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/**
 * Records the totals after a turn. Answers whether the run should stop: someone asked
 * (possibly through another instance, which can only leave a mark on the row), or the
 * row is gone with its session.
 */
export async function recordRunProgress(query: RawQuery, runId: string, totals: RunTotals): Promise<boolean> {
  const rows = await query<{ stop: boolean }>(
    `UPDATE "Run" SET "inputTokens" = $2, "outputTokens" = $3, "reasoningTokens" = $4, "costUsd" = $5
     WHERE "id" = $1 RETURNING "cancelRequestedAt" IS NOT NULL AS "stop"`,
    [runId, totals.inputTokens, totals.outputTokens, totals.reasoningTokens, totals.costUsd],
  );
  return rows[0]?.stop ?? true;
}

export interface RunEnd extends RunTotals {
  status: Extract<RunStatus, "done" | "failed" | "cancelled">;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: Date;
}

/** Records how the run ended (nothing to do if its session was deleted meanwhile). */
export async function recordRunEnd(query: RawQuery, runId: string, end: RunEnd): Promise<void> {
  await query(
    `UPDATE "Run" SET "status" = $2, "errorCode" = $3, "errorMessage" = $4, "finishedAt" = $5::timestamp(3),
       "inputTokens" = $6, "outputTokens" = $7, "reasoningTokens" = $8, "costUsd" = $9
     WHERE "id" = $1`,
    [
      runId,
      end.status,
      end.errorCode,
      end.errorMessage,
      // timestamp(3) holds UTC, as Prisma writes it; the zone in the ISO string is ignored
      end.finishedAt.toISOString(),
      end.inputTokens,
      end.outputTokens,
      end.reasoningTokens,
      end.costUsd,
    ],
  );
}
