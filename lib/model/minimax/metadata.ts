import type { JSONObject, SharedV4ProviderMetadata, SharedV4ProviderOptions } from "@ai-sdk/provider";

/**
 * What a part must carry to be replayed to MiniMax exactly (see ProviderData in
 * lib/steps/types.ts). Produced as `providerMetadata.minimax` on stream parts, read back as
 * `providerOptions.minimax` on prompt parts.
 */
export interface MiniMaxPartMetadata {
  /** Anthropic route: the thinking block's signature. */
  signature?: string;
  /** OpenAI route: the exact slice of message content this part came from. */
  raw?: string;
  /** OpenAI route with reasoning_split: the message's reasoning_details. */
  reasoningDetails?: unknown[];
  /** The tool-call arguments exactly as the model sent them. */
  toolInput?: string;
  /**
   * OpenAI route behind a vLLM/SGLang reasoning parser: the message field the reasoning came
   * in (`reasoning_content`, or `reasoning` on newer vLLM), where it is replayed.
   */
  reasoningField?: ReasoningField;
}

export const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;
export type ReasoningField = (typeof REASONING_FIELDS)[number];

function isReasoningField(value: unknown): value is ReasoningField {
  return REASONING_FIELDS.includes(value as ReasoningField);
}

export const PROVIDER_KEY = "minimax";

export function readMiniMaxOptions(providerOptions: SharedV4ProviderOptions | undefined): MiniMaxPartMetadata {
  const options = providerOptions?.[PROVIDER_KEY];
  if (!options) return {};
  const { signature, raw, reasoningDetails, toolInput, reasoningField } = options;
  return {
    ...(typeof signature === "string" && { signature }),
    ...(typeof raw === "string" && { raw }),
    ...(Array.isArray(reasoningDetails) && { reasoningDetails: [...reasoningDetails] }),
    ...(typeof toolInput === "string" && { toolInput }),
    ...(isReasoningField(reasoningField) && { reasoningField }),
  };
}

export function miniMaxMetadata(metadata: MiniMaxPartMetadata): SharedV4ProviderMetadata {
  return { [PROVIDER_KEY]: metadata as JSONObject };
}
