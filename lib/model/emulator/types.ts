/** Shared vocabulary of the MiniMax wire emulator (see /work/shared/design/minimax-wire.md). */

export type Route = "anthropic" | "openai";

export type ToolName = "write_file" | "edit_file" | "read_file" | "list_files" | "run_tests";

export interface ScriptedToolCall {
  name: ToolName;
  input: Record<string, unknown>;
}

/** One assistant response: reasoning first, then optional text, then optional tool calls. */
export interface ScriptedTurn {
  thinking: string;
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /**
   * The model hits its output limit after this many tokens (4 characters each) of a fresh
   * turn, whatever the request's max_tokens: a scripted cut. A prefill continuing the turn
   * is not cut again.
   */
  cutAtTokens?: number;
}

export interface Scenario {
  id: string;
  title: string;
  /** picked when one of these appears (case-insensitive) in the first user message */
  keywords: string[];
  turns: ScriptedTurn[];
}

/**
 * An injected failure. `times` (default 1) = how many following model requests it applies
 * to; then it clears itself. `afterChunks` counts SSE events already sent.
 */
export type Fault =
  /** `code`: MiniMax's own code in the message (e.g. 1008 with status 500), else the status's usual one */
  | { type: "http"; status: 400 | 401 | 402 | 422 | 429 | 500 | 529; code?: number; times?: number }
  | { type: "base_resp"; code: number; message?: string; times?: number }
  | { type: "drop"; afterChunks: number; times?: number }
  | { type: "stall"; afterChunks: number; ms?: number; times?: number }
  | { type: "malformed"; afterChunks: number; times?: number }
  /** a well-formed reply that finishes normally without a single content block */
  | { type: "empty"; times?: number };

/** Wire variations observed in production; a robust client must handle every one. */
export interface WireVariants {
  /** Anthropic: signature via signature_delta, only inside content_block_start, or absent */
  signature: "delta" | "start" | "none";
  /** Anthropic: content_block_start carries the full text the deltas then repeat */
  startRepeatsText: boolean;
  /** Anthropic: reasoning arrives as text with a literal <think>…</think> */
  thinkAsText: boolean;
  /** OpenAI: last frame is `choices:[]` + usage, or a whole `chat.completion` */
  openaiFinalFrame: "usage-chunk" | "completion";
  /** OpenAI: send `data: [DONE]` at the end */
  openaiDone: boolean;
  /** OpenAI reasoning_split: each reasoning_details fragment repeats everything so far */
  reasoningDetailsCumulative: boolean;
  /**
   * OpenAI route, which server: `content` = hosted MiniMax or vLLM/SGLang with the
   * append-think parser (`<think>` kept in content); `reasoning_content` = vLLM/SGLang with a
   * MiniMax reasoning parser; `reasoning` = newer vLLM's name for the same field.
   */
  openaiReasoning: "content" | "reasoning_content" | "reasoning";
  /**
   * Both routes: `native` = structured tool calls (hosted, or a server with a tool parser);
   * `xml` = MiniMax's raw `<minimax:tool_call>` XML inside the text (a self-hosted server
   * without a tool parser, or a leak), ending with a plain stop.
   */
  toolCalls: "native" | "xml";
}

export const DEFAULT_VARIANTS: WireVariants = {
  signature: "delta",
  startRepeatsText: false,
  thinkAsText: false,
  openaiFinalFrame: "usage-chunk",
  openaiDone: true,
  reasoningDetailsCumulative: false,
  openaiReasoning: "content",
  toolCalls: "native",
};

export interface ReplayCheck {
  assistantTurns: number;
  turnsWithThinking: number;
  signedTurns: number;
  /** thinking text of each assistant message in order ("" when it has none) */
  thinkingByTurn: string[];
  /** where each assistant message carried its thinking: `content` (`<think>` tags or Anthropic blocks), `reasoning_details`, `reasoning_content`, `reasoning`, or "" */
  thinkingFieldByTurn: string[];
  ok: boolean;
  problems: string[];
}

export interface RecordedRequest {
  route: Route;
  path: string;
  headers: Record<string, string>;
  /** parsed JSON body, or null when it was not JSON; `any` so tests can reach into it */
  // biome-ignore lint/suspicious/noExplicitAny: the public API promises direct access to the body
  body: any;
  at: number;
  scenarioId: string;
  /** 0-based index of the scripted turn served */
  turnIndex: number;
  prefill: boolean;
  replay: ReplayCheck;
  /** HTTP status sent (0 when the socket was dropped before any status) */
  status: number;
  /** the fault applied to this request, if any */
  fault: Fault | null;
}

/** A word-carrying stream chunk as the emulator hands it to the socket (`onChunk`). */
export interface ChunkWritten {
  request: RecordedRequest;
  /** the words (or tool-argument fragment) the chunk carries */
  text: string;
  /** `performance.now()` in the emulator's process, just before the write */
  at: number;
}
