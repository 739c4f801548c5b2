import "server-only";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import type { ModelRoute } from "@/lib/steps/types";
import { findModel, MODELS, OFFLINE_DEMO_MODEL_ID } from "./catalog";
import { createMiniMaxModel } from "./minimax";
import { getOfflineEmulatorUrl } from "./offline-demo";
import type { ModelOption } from "./options";

/**
 * Which models this deployment can run, chosen by environment: MiniMax models need
 * MINIMAX_API_KEY; the offline demo always works (it replays the emulator's scripts
 * through the same provider code as the real API).
 */

export function listModelOptions(): ModelOption[] {
  const hasKey = Boolean(env().MINIMAX_API_KEY);
  return MODELS.map((model) => ({
    id: model.id,
    label: model.label,
    available: model.provider === "offline" || hasKey,
    note: model.note,
    contextTokens: model.contextTokens,
    inputUsdPerMTok: model.priceUsdPerMTok.input,
    outputUsdPerMTok: model.priceUsdPerMTok.output,
  }));
}

export function defaultModelId(): string {
  if (!env().MINIMAX_API_KEY) return OFFLINE_DEMO_MODEL_ID;
  return findModel(env().MINIMAX_MODEL)
    ? env().MINIMAX_MODEL
    : (MODELS.find((m) => m.provider === "minimax")?.id ?? OFFLINE_DEMO_MODEL_ID);
}

/** Validates a requested model id (or picks the default) for a new session or run. */
export function resolveModelForNewSession(requested: string | undefined): string {
  const id = requested ?? defaultModelId();
  const option = listModelOptions().find((model) => model.id === id);
  if (!option) throw new AppError("bad_request:model", `Unknown model "${id}". Pick one from the model list.`);
  if (!option.available) {
    throw new AppError(
      "bad_request:model",
      `${option.label} needs a MiniMax API key: set MINIMAX_API_KEY and restart, or pick "Offline demo (scripted)".`,
    );
  }
  return id;
}

export interface ResolvedModel {
  model: LanguageModelV4;
  route: ModelRoute;
  /** id used for pricing */
  pricingId: string;
}

export async function languageModelFor(modelId: string): Promise<ResolvedModel> {
  const spec = findModel(modelId);
  if (!spec) throw new AppError("bad_request:model", `Unknown model "${modelId}".`);
  const { MINIMAX_API_KEY, MINIMAX_BASE_URL, MINIMAX_API, MODEL_STALL_TIMEOUT_MS } = env();
  if (spec.provider === "offline") {
    return {
      model: createMiniMaxModel({
        route: "anthropic",
        baseURL: await getOfflineEmulatorUrl(),
        apiKey: "offline-demo",
        modelId: "MiniMax-M2",
        stallTimeoutMs: MODEL_STALL_TIMEOUT_MS,
      }),
      route: "anthropic",
      pricingId: spec.id,
    };
  }
  if (!MINIMAX_API_KEY) {
    throw new AppError("bad_request:model", `${spec.label} needs MINIMAX_API_KEY. Set it and restart the app.`);
  }
  return {
    model: createMiniMaxModel({
      route: MINIMAX_API,
      baseURL: MINIMAX_BASE_URL,
      apiKey: MINIMAX_API_KEY,
      modelId: spec.id,
      stallTimeoutMs: MODEL_STALL_TIMEOUT_MS,
    }),
    route: MINIMAX_API,
    pricingId: spec.id,
  };
}
