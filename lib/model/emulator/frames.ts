import type { WireVariants } from "./types";

/** One server-sent event. `paced` events carry generated words and wait for the chunk delay. */
export interface SseFrame {
  event?: string;
  data: string;
  paced: boolean;
}

/** Identity of one response, shared by all its frames. */
export interface ResponseMeta {
  id: string;
  model: string;
  /** unix seconds */
  created: number;
  variants: WireVariants;
}

export const BASE_RESP_OK = { status_code: 0, status_msg: "" };

export function serializeFrame(frame: SseFrame): string {
  return `${frame.event ? `event: ${frame.event}\n` : ""}data: ${frame.data}\n\n`;
}

/** The same event with its JSON cut in half: one invalid `data:` line. */
export function malformedFrame(frame: SseFrame): SseFrame {
  return {
    event: frame.event,
    data: frame.data.slice(0, Math.max(1, Math.floor(frame.data.length / 2))),
    paced: false,
  };
}
