/** What the model picker shows: safe to send to the browser (no keys, no URLs). */
export interface ModelOption {
  id: string;
  label: string;
  available: boolean;
  /** why it is unavailable, or a caveat such as "scripted, not a real model" */
  note?: string;
  contextTokens: number;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
}
