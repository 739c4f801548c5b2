/**
 * The models a session can pick, with what they cost. Prices are USD per million tokens
 * from MiniMax's pay-as-you-go page (minimax-wire.md §8); reasoning is billed as output.
 */
import type { ModelRoute } from "@/lib/steps/types";

export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface ModelSpec {
  id: string;
  label: string;
  provider: "minimax" | "offline";
  /** pins the wire route; unset, the deployment's MINIMAX_API decides */
  route?: ModelRoute;
  /** context window, prompt and output together */
  contextTokens: number;
  priceUsdPerMTok: ModelPrice;
  note?: string;
}

export const OFFLINE_DEMO_MODEL_ID = "offline-demo";

const M2_CONTEXT = 204_800;
const STANDARD: ModelPrice = { input: 0.3, output: 1.2, cacheRead: 0.03, cacheWrite: 0.375 };

export const MODELS: readonly ModelSpec[] = [
  { id: "MiniMax-M2", label: "MiniMax-M2", provider: "minimax", contextTokens: M2_CONTEXT, priceUsdPerMTok: STANDARD },
  {
    id: "MiniMax-M2-Stable",
    label: "MiniMax-M2-Stable",
    provider: "minimax",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: STANDARD,
    note: "Higher rate limits for production traffic",
  },
  {
    id: "MiniMax-M2.1",
    label: "MiniMax-M2.1",
    provider: "minimax",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: STANDARD,
  },
  {
    id: "MiniMax-M2.5",
    label: "MiniMax-M2.5",
    provider: "minimax",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: STANDARD,
  },
  {
    id: "MiniMax-M2.7",
    label: "MiniMax-M2.7",
    provider: "minimax",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: { ...STANDARD, cacheRead: 0.06 },
  },
  {
    id: "MiniMax-M2.7-highspeed",
    label: "MiniMax-M2.7 highspeed",
    provider: "minimax",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: { input: 0.6, output: 2.4, cacheRead: 0.06, cacheWrite: 0.375 },
    note: "About twice as fast (~100 tokens/s), at twice the price",
  },
  {
    id: OFFLINE_DEMO_MODEL_ID,
    label: "Offline demo (scripted)",
    provider: "offline",
    contextTokens: M2_CONTEXT,
    priceUsdPerMTok: { input: 0, output: 0 },
    note: "Not a real model: replays scripted MiniMax-M2 turns, so the app works without an API key",
  },
];

export function findModel(id: string): ModelSpec | undefined {
  return MODELS.find((model) => model.id === id);
}

export interface TokenUsage {
  /** every prompt token, cached ones included (as the AI SDK's `inputTokens.total`) */
  inputTokens: number;
  /** every generated token, reasoning included (MiniMax counts reasoning in output) */
  outputTokens: number;
  /** the part of inputTokens read from the prompt cache */
  cacheReadTokens?: number;
  /** the part of inputTokens written to the prompt cache */
  cacheWriteTokens?: number;
}

/** What a call cost in USD; null for a model we have no price for. Cache tokens without a cache price are billed as input. */
export function costUsd(modelId: string, usage: TokenUsage): number | null {
  const price = findModel(modelId)?.priceUsdPerMTok;
  if (!price) return null;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const total =
    uncached * price.input +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return total / 1_000_000;
}

/**
 * "$1.23" for a dollar and up, two significant digits below ("$0.0012", "$0.050"),
 * "<$0.0001" for dust, "—" when unknown.
 */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return "—";
  if (usd === 0) return "$0";
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd < 0.0001) return "<$0.0001";
  const decimals = Math.max(2, 1 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals)}`;
}

/** One decimal below 100 ("12.3"), whole numbers above ("205"). */
const compact = (value: number) => String(value < 100 ? Number(value.toFixed(1)) : Math.round(value));

/** "950", "12.3k", "205k", "1.2M": token counts at a glance; "—" when unknown. */
export function formatTokens(tokens: number | null): string {
  if (tokens === null || !Number.isFinite(tokens)) return "—";
  if (tokens < 1_000) return String(Math.round(tokens));
  const thousands = compact(tokens / 1_000);
  // 999,600 rounds to "1000k": say "1M" instead
  return Number(thousands) < 1_000 ? `${thousands}k` : `${compact(tokens / 1_000_000)}M`;
}
