import type { LanguageModelV4Usage } from "@ai-sdk/provider";
import type { StepKind } from "@/lib/steps/types";

/**
 * A model reports usage once per turn; people read it per step. The turn's input tokens
 * belong to its first step (that is where the prompt was paid for); output tokens are
 * shared by the turn's steps in proportion to what each one wrote, and reasoning tokens
 * among its thinking steps. The per-step numbers always add up to the turn's totals.
 */

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** reasoningTokens was estimated from the thinking text, not reported */
  reasoningEstimated: boolean;
  cacheReadTokens: number;
}

/** Characters per token the estimate assumes: about right for English prose and code with BPE tokenizers. */
export const CHARS_PER_TOKEN = 4;

/**
 * Reasoning tokens of a turn whose route reports only output tokens (MiniMax's Anthropic
 * route, Anthropic itself): its thinking text's length / CHARS_PER_TOKEN, rounded up,
 * never more than the turn's output tokens (when those are known) and 0 only for no thinking.
 */
export function estimateReasoningTokens(thinkingChars: number, outputTokens: number | undefined): number {
  if (thinkingChars <= 0) return 0;
  const estimate = Math.ceil(thinkingChars / CHARS_PER_TOKEN);
  return outputTokens && outputTokens > 0 ? Math.min(estimate, outputTokens) : estimate;
}

/**
 * A turn's usage from the provider's report. `thinkingChars` is the length of the turn's
 * thinking text: when the route does not report reasoning tokens separately and the turn
 * did think, they are estimated from it and flagged, so nobody reads a 0 that is not one.
 */
export function turnUsageFrom(usage: LanguageModelV4Usage | undefined, thinkingChars = 0): TurnUsage {
  const outputTokens = usage?.outputTokens.total ?? 0;
  const reported = usage?.outputTokens.reasoning;
  const estimated = (reported === undefined || reported === 0) && thinkingChars > 0;
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    outputTokens,
    reasoningTokens: estimated ? estimateReasoningTokens(thinkingChars, outputTokens) : (reported ?? 0),
    reasoningEstimated: estimated,
    cacheReadTokens: usage?.inputTokens.cacheRead ?? 0,
  };
}

export interface StepShare {
  kind: StepKind;
  /** characters the step wrote */
  size: number;
}

export interface StepUsageShare {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** Splits `total` into integers proportional to `weights` (largest remainder), summing exactly to `total`. */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  const effective = sum > 0 ? weights : weights.map(() => 1);
  const effectiveSum = sum > 0 ? sum : weights.length;
  const exact = effective.map((w) => (total * w) / effectiveSum);
  const shares = exact.map(Math.floor);
  let remainder = total - shares.reduce((a, b) => a + b, 0);
  const byFraction = exact
    .map((value, i) => ({ i, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction);
  for (const { i } of byFraction) {
    if (remainder <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    remainder -= 1;
  }
  return shares;
}

export function apportionTurnUsage(
  steps: readonly StepShare[],
  usage: Omit<TurnUsage, "reasoningEstimated">,
): StepUsageShare[] {
  const output = splitProportionally(
    usage.outputTokens,
    steps.map((step) => step.size),
  );
  const thinkingIndexes = steps.flatMap((step, i) => (step.kind === "thinking" ? [i] : []));
  const reasoning = splitProportionally(
    thinkingIndexes.length > 0 ? usage.reasoningTokens : 0,
    thinkingIndexes.map((i) => steps[i]?.size ?? 0),
  );
  return steps.map((_, i) => ({
    inputTokens: i === 0 ? usage.inputTokens : 0,
    outputTokens: output[i] ?? 0,
    reasoningTokens: reasoning[thinkingIndexes.indexOf(i)] ?? 0,
  }));
}
