import type { Env, ModelListEntry } from "@/lib/env";
import { KNOWN_MODELS, MODELS, type ModelPrice, type ModelProvider, type ModelSpec } from "./catalog";

/**
 * Every model this deployment can offer, grouped by provider, and which environment
 * variables turn each group on. Pure (takes the parsed environment), so the picker's
 * contents are unit-tested without a server:
 *
 * - MiniMax (built-in list, MiniMax-M3 included): MINIMAX_API_KEY.
 * - OpenAI: OPENAI_API_KEY; models from OPENAI_MODELS (default gpt-4o, o4-mini).
 * - Anthropic: ANTHROPIC_API_KEY; models from ANTHROPIC_MODELS (default claude-sonnet-4-5, claude-haiku-4-5).
 * - OpenAI-compatible (vLLM, Ollama, OpenRouter, …): OPENAI_COMPATIBLE_BASE_URL and
 *   OPENAI_COMPATIBLE_MODELS; OPENAI_COMPATIBLE_API_KEY when the endpoint wants one.
 * - The offline demo: always.
 *
 * Ids of environment models are prefixed with their provider ("openai/gpt-4o") so two
 * providers can offer a model of the same name; MiniMax ids stay bare, as sessions stored them.
 */

export type ProviderEnv = Pick<
  Env,
  | "MINIMAX_API_KEY"
  | "OPENAI_API_KEY"
  | "OPENAI_MODELS"
  | "ANTHROPIC_API_KEY"
  | "ANTHROPIC_MODELS"
  | "OPENAI_COMPATIBLE_BASE_URL"
  | "OPENAI_COMPATIBLE_MODELS"
  | "OPENAI_COMPATIBLE_NAME"
>;

export interface OfferedModel {
  spec: ModelSpec;
  /** the picker's group heading */
  group: string;
  available: boolean;
  /** when unavailable: the variables that turn it on, e.g. "OPENAI_API_KEY" */
  enabledBy?: string;
  /** OpenAI reasoning models and Claude: ask for reasoning (summaries / extended thinking) */
  reasons: boolean;
}

export const DEFAULT_OPENAI_MODELS = ["gpt-4o", "o4-mini"];
export const DEFAULT_ANTHROPIC_MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5"];
/** the context window assumed for a model we know nothing about */
const UNKNOWN_CONTEXT = 128_000;

/** "openai/gpt-4o" → the provider and the id its API knows. */
export function modelIdFor(provider: "openai" | "anthropic" | "openai-compatible", apiModelId: string): string {
  return `${provider}/${apiModelId}`;
}

function priceOf(entry: ModelListEntry, known: ModelPrice | undefined): ModelPrice | null {
  if (entry.input !== undefined && entry.output !== undefined) return { input: entry.input, output: entry.output };
  return known ?? null;
}

function fromList(
  provider: "openai" | "anthropic",
  entries: ModelListEntry[] | undefined,
  defaults: string[],
): { spec: ModelSpec; reasons: boolean }[] {
  const list = entries && entries.length > 0 ? entries : defaults.map((id) => ({ id }));
  return list.map((entry) => {
    const known = KNOWN_MODELS[provider][entry.id];
    // a Claude model we don't know is assumed to think (every current one does); an unknown OpenAI model is not
    const reasons = known?.reasons ?? provider === "anthropic";
    return {
      spec: {
        id: modelIdFor(provider, entry.id),
        label: entry.id,
        provider,
        apiModelId: entry.id,
        contextTokens: known?.contextTokens ?? UNKNOWN_CONTEXT,
        priceUsdPerMTok: priceOf(entry, known?.price),
        thinkingOnRequest: provider === "anthropic" && reasons,
        ...(priceOf(entry, known?.price) ? {} : { note: `No price known: list it as ${entry.id}=input/output` }),
      },
      reasons,
    };
  });
}

/** Every model, in picker order: MiniMax, OpenAI, Anthropic, OpenAI-compatible, then the offline demo. */
export function offeredModels(e: ProviderEnv): OfferedModel[] {
  const minimax = MODELS.filter((m) => m.provider === "minimax").map(
    (spec): OfferedModel => ({
      spec,
      group: "MiniMax",
      available: Boolean(e.MINIMAX_API_KEY),
      ...(e.MINIMAX_API_KEY ? {} : { enabledBy: "MINIMAX_API_KEY" }),
      reasons: true,
    }),
  );
  const openai = fromList("openai", e.OPENAI_MODELS, DEFAULT_OPENAI_MODELS).map(
    ({ spec, reasons }): OfferedModel => ({
      spec,
      group: "OpenAI",
      available: Boolean(e.OPENAI_API_KEY),
      ...(e.OPENAI_API_KEY ? {} : { enabledBy: "OPENAI_API_KEY" }),
      reasons,
    }),
  );
  const anthropic = fromList("anthropic", e.ANTHROPIC_MODELS, DEFAULT_ANTHROPIC_MODELS).map(
    ({ spec, reasons }): OfferedModel => ({
      spec,
      group: "Anthropic",
      available: Boolean(e.ANTHROPIC_API_KEY),
      ...(e.ANTHROPIC_API_KEY ? {} : { enabledBy: "ANTHROPIC_API_KEY" }),
      reasons,
    }),
  );
  const compatibleName = e.OPENAI_COMPATIBLE_NAME ?? "OpenAI-compatible";
  const compatible: OfferedModel[] =
    e.OPENAI_COMPATIBLE_BASE_URL && e.OPENAI_COMPATIBLE_MODELS?.length
      ? e.OPENAI_COMPATIBLE_MODELS.map((entry) => {
          const price = priceOf(entry, undefined);
          return {
            spec: {
              id: modelIdFor("openai-compatible", entry.id),
              label: entry.id,
              provider: "openai-compatible",
              apiModelId: entry.id,
              contextTokens: UNKNOWN_CONTEXT,
              priceUsdPerMTok: price,
              ...(price ? {} : { note: `No price set: list it as ${entry.id}=input/output` }),
            },
            group: compatibleName,
            available: true,
            reasons: true,
          };
        })
      : [
          {
            spec: {
              id: "openai-compatible",
              label: "Any OpenAI-compatible endpoint",
              provider: "openai-compatible",
              contextTokens: UNKNOWN_CONTEXT,
              priceUsdPerMTok: null,
            },
            group: compatibleName,
            available: false,
            enabledBy: "OPENAI_COMPATIBLE_BASE_URL and OPENAI_COMPATIBLE_MODELS",
            reasons: false,
          },
        ];
  const offline = MODELS.filter((m) => m.provider === "offline").map(
    (spec): OfferedModel => ({ spec, group: "Offline", available: true, reasons: true }),
  );
  return [...minimax, ...openai, ...anthropic, ...compatible, ...offline];
}

/** The offered model with this id, or undefined. */
export function findOffered(e: ProviderEnv, id: string): OfferedModel | undefined {
  return offeredModels(e).find((model) => model.spec.id === id);
}

/** Which provider family an id belongs to, from its prefix; MiniMax and the offline demo are bare. */
export function providerOfId(id: string): ModelProvider | undefined {
  const prefix = id.includes("/") ? id.slice(0, id.indexOf("/")) : undefined;
  if (prefix === "openai" || prefix === "anthropic" || prefix === "openai-compatible") return prefix;
  return MODELS.find((model) => model.id === id)?.provider;
}
