import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4, SharedV4ProviderOptions } from "@ai-sdk/provider";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { quote } from "@/lib/http/input";
import type { ModelRoute } from "@/lib/steps/types";
import { findModel, MODELS, type ModelPrice, OFFLINE_DEMO_MODEL_ID } from "./catalog";
import { createMiniMaxModel } from "./minimax";
import { getOfflineEmulatorUrl } from "./offline-demo";
import type { ModelOption } from "./options";
import { findOffered, type OfferedModel, offeredModels } from "./providers";

/**
 * Which models this deployment can run, chosen by environment (lib/model/providers.ts),
 * and the AI SDK model object for each: MiniMax through the project's own provider,
 * OpenAI (Responses API), Anthropic (Messages API) and OpenAI-compatible endpoints (Chat
 * Completions) through the AI SDK's provider packages. The offline demo always works.
 */

/** Extended thinking budget asked of models that think only on request (Claude, MiniMax-M3). */
export const THINKING_BUDGET_TOKENS = 8_192;

export function listModelOptions(): ModelOption[] {
  return offeredModels(env()).map(({ spec, group, available, enabledBy }) => ({
    id: spec.id,
    label: spec.label,
    group,
    available,
    ...(enabledBy ? { enabledBy } : {}),
    ...(spec.note ? { note: spec.note } : {}),
    contextTokens: spec.contextTokens,
    inputUsdPerMTok: spec.priceUsdPerMTok?.input ?? null,
    outputUsdPerMTok: spec.priceUsdPerMTok?.output ?? null,
  }));
}

export function defaultModelId(): string {
  if (!env().MINIMAX_API_KEY) return OFFLINE_DEMO_MODEL_ID;
  return findModel(env().MINIMAX_MODEL)
    ? env().MINIMAX_MODEL
    : (MODELS.find((m) => m.provider === "minimax")?.id ?? OFFLINE_DEMO_MODEL_ID);
}

function unavailable(model: OfferedModel): AppError {
  return new AppError(
    "bad_request:model",
    `${model.spec.label} needs ${model.enabledBy}: set it in .env and restart, or pick another model ("Offline demo (scripted)" always works).`,
  );
}

/** Validates a requested model id (or picks the default) for a new session or run. */
export function resolveModelForNewSession(requested: string | undefined): string {
  const id = requested ?? defaultModelId();
  const offered = findOffered(env(), id);
  if (!offered) throw new AppError("bad_request:model", `Unknown model ${quote(id)}. Pick one from the model list.`);
  if (!offered.available) throw unavailable(offered);
  return id;
}

export interface ResolvedModel {
  model: LanguageModelV4;
  /** MiniMax's wire route, which decides how its turns are replayed; other providers replay by their own rules */
  route: ModelRoute;
  /** USD per million tokens; null when unknown */
  price: ModelPrice | null;
  /** passed with every call (e.g. Anthropic's extended thinking, OpenAI's reasoning summaries) */
  providerOptions?: SharedV4ProviderOptions;
}

export async function languageModelFor(modelId: string): Promise<ResolvedModel> {
  const e = env();
  const offered = findOffered(e, modelId);
  if (!offered) throw new AppError("bad_request:model", `Unknown model ${quote(modelId)}.`);
  if (!offered.available) throw unavailable(offered);
  const { spec } = offered;
  const price = spec.priceUsdPerMTok;
  const apiModelId = spec.apiModelId ?? spec.id;
  switch (spec.provider) {
    case "offline":
      return {
        model: createMiniMaxModel({
          route: "anthropic",
          baseURL: await getOfflineEmulatorUrl(),
          apiKey: "offline-demo",
          modelId: "MiniMax-M2",
          stallTimeoutMs: e.MODEL_STALL_TIMEOUT_MS,
        }),
        route: "anthropic",
        price,
      };
    case "minimax":
      return {
        model: createMiniMaxModel({
          route: e.MINIMAX_API,
          baseURL: e.MINIMAX_BASE_URL,
          apiKey: e.MINIMAX_API_KEY ?? "",
          modelId: apiModelId,
          stallTimeoutMs: e.MODEL_STALL_TIMEOUT_MS,
          ...(spec.thinkingOnRequest ? { thinkingBudgetTokens: THINKING_BUDGET_TOKENS } : {}),
        }),
        route: e.MINIMAX_API,
        price,
      };
    case "openai":
      return {
        model: createOpenAI({ apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL }).responses(apiModelId),
        route: "openai",
        price,
        // stateless: every turn's reasoning travels back encrypted instead of living on OpenAI's servers
        providerOptions: {
          openai: offered.reasons
            ? { store: false, reasoningSummary: "auto", include: ["reasoning.encrypted_content"] }
            : { store: false },
        },
      };
    case "anthropic":
      return {
        model: createAnthropic({ apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL }).messages(apiModelId),
        route: "anthropic",
        price,
        ...(offered.reasons
          ? { providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: THINKING_BUDGET_TOKENS } } } }
          : {}),
      };
    case "openai-compatible":
      return {
        model: createOpenAICompatible({
          name: "compatible",
          baseURL: e.OPENAI_COMPATIBLE_BASE_URL ?? "",
          ...(e.OPENAI_COMPATIBLE_API_KEY ? { apiKey: e.OPENAI_COMPATIBLE_API_KEY } : {}),
          includeUsage: true,
        }).chatModel(apiModelId),
        route: "openai",
        price,
      };
  }
}

/** How a stored model id reads in the UI, and whether its cost can be known; an id no longer offered keeps its id as label. */
export function describeModel(modelId: string): { label: string; group: string; priced: boolean } {
  const offered = findOffered(env(), modelId);
  if (!offered) return { label: modelId, group: "", priced: false };
  return { label: offered.spec.label, group: offered.group, priced: offered.spec.priceUsdPerMTok !== null };
}
