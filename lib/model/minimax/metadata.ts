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
}

export const PROVIDER_KEY = "minimax";

export function readMiniMaxOptions(providerOptions: SharedV4ProviderOptions | undefined): MiniMaxPartMetadata {
  const options = providerOptions?.[PROVIDER_KEY];
  if (!options) return {};
  const { signature, raw, reasoningDetails, toolInput } = options;
  return {
    ...(typeof signature === "string" && { signature }),
    ...(typeof raw === "string" && { raw }),
    ...(Array.isArray(reasoningDetails) && { reasoningDetails: [...reasoningDetails] }),
    ...(typeof toolInput === "string" && { toolInput }),
  };
}

export function miniMaxMetadata(metadata: MiniMaxPartMetadata): SharedV4ProviderMetadata {
  return { [PROVIDER_KEY]: metadata as JSONObject };
}
