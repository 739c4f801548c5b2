/** What the benchmark records of a model turn, on either side of the app. */

/** One side of a model turn as a string: pieces with their [start, end) and a time. */
export interface Piece {
  start: number;
  end: number;
  at: number;
}

export interface TurnTrace {
  text: string;
  pieces: Piece[];
}

export function addPiece(trace: TurnTrace, text: string, at: number): void {
  if (text === "") return;
  const start = trace.text.length;
  trace.text += text;
  trace.pieces.push({ start, end: trace.text.length, at });
}

/**
 * Milliseconds on one clock for every thread of the benchmark: the emulator writes in a
 * worker thread and the viewers read in the main one.
 */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** `[bench:tag:id]` in a task: which viewer a model request belongs to. */
export const BENCH_MARKER = /\[bench:([a-z0-9]+:[a-z0-9]+)\]/;
