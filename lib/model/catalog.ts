/**
 * The models a session can pick, with what they cost. Prices are USD per million tokens:
 * MiniMax's from its pay-as-you-go page (minimax-wire.md §8; MiniMax-M3's list price,
 * ≤512K input, from its launch pricing), OpenAI's and Anthropic's from their pricing pages
 * (KNOWN_PRICES); reasoning is billed as output everywhere. OpenAI, Anthropic and
 * OpenAI-compatible models come from the environment (lib/model/providers.ts).
 */
import type { ModelRoute } from "@/lib/steps/types";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** a call whose prompt is longer than `aboveInputTokens` is billed at `multiplier` × every rate (MiniMax-M3 above 512K) */
  longContext?: { aboveInputTokens: number; multiplier: number };
}

export const MODEL_PROVIDERS = ["minimax", "offline", "openai", "anthropic", "openai-compatible"] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

export interface ModelSpec {
  /** what sessions store: MiniMax ids bare, others prefixed ("openai/gpt-4o") */
  id: string;
  label: string;
  provider: ModelProvider;
  /** the id the provider's API knows the model by; unset, the same as `id` */
  apiModelId?: string;
  /** pins the wire route; unset, the deployment's MINIMAX_API decides */
  route?: ModelRoute;
  /** context window, prompt and output together */
  contextTokens: number;
  /** null: nobody told us (an OpenAI-compatible model listed without a price); its cost shows as "—" */
  priceUsdPerMTok: ModelPrice | null;
  /** the model thinks only when the request asks for it (MiniMax-M3 on the Anthropic route, Claude), so ask */
  thinkingOnRequest?: boolean;
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
    id: "MiniMax-M3",
    label: "MiniMax-M3",
    provider: "minimax",
    contextTokens: 1_000_000,
    priceUsdPerMTok: {
      input: 0.6,
      output: 2.4,
      cacheRead: 0.12,
      cacheWrite: 0.75,
      longContext: { aboveInputTokens: 512_000, multiplier: 2 },
    },
    thinkingOnRequest: true,
    note: "1M context; prompts above 512K tokens cost twice as much",
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
  /**
   * the whole call's prompt, which decides a long-context tier when `inputTokens` is only a
   * share of the call (a turn's cost split over its steps); default inputTokens
   */
  callInputTokens?: number;
}

/**
 * What one call cost in USD at `price`; null when there is no price. Cache tokens without
 * a cache price are billed as input; a long-context tier multiplies every rate of the call.
 */
export function priceCost(price: ModelPrice | null | undefined, usage: TokenUsage): number | null {
  if (!price) return null;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const prompt = usage.callInputTokens ?? usage.inputTokens;
  const tier = price.longContext && prompt > price.longContext.aboveInputTokens ? price.longContext.multiplier : 1;
  const total =
    uncached * price.input +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return (total * tier) / 1_000_000;
}

/** What a call to one of the built-in MODELS cost in USD; null for a model not in MODELS. */
export function costUsd(modelId: string, usage: TokenUsage): number | null {
  return priceCost(findModel(modelId)?.priceUsdPerMTok, usage);
}

/** A model whose price and context we know, for providers whose models come from the environment. */
export interface KnownModel {
  price: ModelPrice;
  contextTokens: number;
  /** Anthropic: can think (extended thinking); OpenAI: a reasoning model that streams summaries */
  reasons: boolean;
}

/**
 * Prices (USD per million tokens) from openai.com/api/pricing and anthropic.com/pricing;
 * a model listed in OPENAI_MODELS/ANTHROPIC_MODELS with `=input/output` overrides these.
 */
export const KNOWN_MODELS: Readonly<Record<"openai" | "anthropic", Readonly<Record<string, KnownModel>>>> = {
  openai: {
    "gpt-4o": { price: { input: 2.5, output: 10, cacheRead: 1.25 }, contextTokens: 128_000, reasons: false },
    "gpt-4o-mini": { price: { input: 0.15, output: 0.6, cacheRead: 0.075 }, contextTokens: 128_000, reasons: false },
    "gpt-4.1": { price: { input: 2, output: 8, cacheRead: 0.5 }, contextTokens: 1_047_576, reasons: false },
    "gpt-4.1-mini": { price: { input: 0.4, output: 1.6, cacheRead: 0.1 }, contextTokens: 1_047_576, reasons: false },
    o3: { price: { input: 2, output: 8, cacheRead: 0.5 }, contextTokens: 200_000, reasons: true },
    "o4-mini": { price: { input: 1.1, output: 4.4, cacheRead: 0.275 }, contextTokens: 200_000, reasons: true },
    "gpt-5": { price: { input: 1.25, output: 10, cacheRead: 0.125 }, contextTokens: 400_000, reasons: true },
    "gpt-5-mini": { price: { input: 0.25, output: 2, cacheRead: 0.025 }, contextTokens: 400_000, reasons: true },
  },
  anthropic: {
    "claude-sonnet-4-5": {
      price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      contextTokens: 200_000,
      reasons: true,
    },
    "claude-haiku-4-5": {
      price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
      contextTokens: 200_000,
      reasons: true,
    },
    "claude-opus-4-1": {
      price: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
      contextTokens: 200_000,
      reasons: true,
    },
  },
};

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

/**
 * "1.2k reasoning", or "~1.2k reasoning (estimated)" when the route reported only output
 * tokens and the number was estimated from the thinking text (lib/agent/usage.ts).
 */
export function formatReasoning(tokens: number | null, estimated: boolean | null | undefined): string {
  return estimated ? `~${formatTokens(tokens)} reasoning (estimated)` : `${formatTokens(tokens)} reasoning`;
}
