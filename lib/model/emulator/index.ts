/**
 * A byte-faithful MiniMax-M2 wire emulator (Anthropic and OpenAI routes) for tests, the
 * stream benchmark and the offline demo model. See /work/shared/design/minimax-wire.md.
 */
export { signatureFor } from "./ids";
export { checkThinkingReplay } from "./replay";
export { FINAL_TURN, SCENARIOS } from "./scenarios";
export { type Emulator, type EmulatorOptions, startEmulator } from "./server";
export type {
  Fault,
  RecordedRequest,
  ReplayCheck,
  Scenario,
  ScriptedToolCall,
  ScriptedTurn,
  ToolName,
  WireVariants,
} from "./types";
export { DEFAULT_VARIANTS } from "./types";
