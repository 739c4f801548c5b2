/** What the model picker shows: safe to send to the browser (no keys, no URLs). */
export interface ModelOption {
  id: string;
  label: string;
  /** the picker's group heading: "MiniMax", "OpenAI", "Anthropic", the OpenAI-compatible endpoint's name, "Offline" */
  group: string;
  available: boolean;
  /** when unavailable: the environment variables that turn it on */
  enabledBy?: string;
  /** a caveat such as "scripted, not a real model" or "no price known" */
  note?: string;
  contextTokens: number;
  /** USD per million tokens; null when no price is known */
  inputUsdPerMTok: number | null;
  outputUsdPerMTok: number | null;
}
