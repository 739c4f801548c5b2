export { toAnthropicRequest } from "./anthropic-request";
export type { MiniMaxSettings } from "./call-settings";
export { emptyReplyError, ModelCallError, type ModelCallErrorCode } from "./errors";
export type { MiniMaxPartMetadata } from "./metadata";
export { createMiniMaxModel, type StreamParts, streamPartsOf } from "./model";
export { toOpenAIRequest } from "./openai-request";
