import { expect, test } from "vitest";
import type { SessionSnapshot } from "@/lib/wire/events";
import { SessionBus } from "./bus";
import { closeEventStreams, openSessionStream } from "./sse";

const delta = (text: string) => ({ type: "step.delta" as const, stepId: "s", offset: 0, text });

/** Everything a stream sends until it closes, as text (rejects if it is still open after 5 s). */
async function readToEnd(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stream.getReader();
  const timeout = setTimeout(() => void reader.cancel(), 5000);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value);
    }
  } finally {
    clearTimeout(timeout);
  }
}

const open = (bus: SessionBus) =>
  openSessionStream({
    bus,
    sessionId: "s1",
    after: null,
    signal: new AbortController().signal,
    loadSnapshot: async () => ({}) as Omit<SessionSnapshot, "type" | "seq">,
  });

/**
 * A graceful stop (lib/agent/shutdown.ts) closes the event streams once the runs have ended:
 * the events published just before (a run's end, in the same tick) still go out, then the
 * stream ends, and one opened afterwards (a viewer reconnecting to the stopping server) ends
 * at once. Before, the process exited with them unsent and the streams cut.
 */
test("closeEventStreams sends what a stream holds, then closes it; a new stream closes at once", async () => {
  const bus = new SessionBus();
  const stream = open(bus);
  const sent = readToEnd(stream);
  await new Promise((resolve) => setTimeout(resolve, 50)); // past the snapshot
  bus.publish("s1", delta("the run's last words"));
  closeEventStreams(); // same tick: the event is still in the stream's buffer
  const text = await sent;
  expect(text).toContain('"type":"snapshot"');
  expect(text).toContain("the run's last words");

  expect(await readToEnd(open(bus))).toBe("retry: 1000\n\n");
});
