import { createHmac, randomBytes, randomInt } from "node:crypto";

// A fixed key makes signatures reproducible across processes, so a test (or the emulator
// itself, on replay) can tell whether a thinking text came back untouched.
const SIGNATURE_KEY = "interleave-minimax-emulator";

/** Deterministic 64-hex signature of a thinking text. */
export function signatureFor(thinking: string): string {
  return createHmac("sha256", SIGNATURE_KEY).update(thinking).digest("hex");
}

/** MiniMax message / completion / request ids are 32 lowercase hex characters. */
export function hexId(): string {
  return randomBytes(16).toString("hex");
}

/** `call_function_<10 digits>_<n>`, n counting the calls of one response from 1. */
export function toolCallIds(count: number): string[] {
  const digits = String(randomInt(1_000_000_000, 10_000_000_000));
  return Array.from({ length: count }, (_, i) => `call_function_${digits}_${i + 1}`);
}
