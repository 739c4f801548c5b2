/** Timings for dense step and run metadata (token and cost formats live with the price table in lib/model/catalog). */

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, "0")}s`;
}

/** Milliseconds between two ISO times, or null when either is missing. */
export function elapsed(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Date.parse(to) - Date.parse(from);
}

/**
 * Who made a step, as its row says it: "by Ada"; for a reviewer's comment sent to the
 * model, the comment's author (its words), and who sent it when that is someone else;
 * null for a step no person made.
 */
export function stepAuthorLabel(step: {
  authorName?: string | null;
  providerData: { comment?: { by: string } } | null;
}): string | null {
  const wrote = step.providerData?.comment?.by;
  if (wrote)
    return step.authorName && step.authorName !== wrote
      ? `${wrote}'s comment, sent by ${step.authorName}`
      : `${wrote}'s comment`;
  return step.authorName ? `by ${step.authorName}` : null;
}
