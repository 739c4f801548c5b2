import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { processState } from "@/lib/process-state";
import { closeEventStreams } from "@/lib/realtime/sse";
import { activeRuns, settleTestRuns, stopAllRuns } from "./active-runs";

/**
 * On SIGTERM or SIGINT, the server stops its runs before it exits: each closes its open
 * steps as interrupted, writes every step streamed so far and records that it failed
 * because the server stopped (Retry resumes it), instead of staying "running" forever in
 * a shared database. People's test runs going (Run tests) finish and answer; no new one
 * starts. Then the session event streams send what they hold (the runs' ends, the test
 * runs' steps) and close, and the bus sends what was published (other instances' viewers),
 * so viewers and the CLI learn how the runs ended before the process goes. All of it gets GRACE_MS; then the process exits anyway. Installed by
 * instrumentation.ts when `npm start` sets NEXT_MANUAL_SIG_HANDLE (Next's own handlers
 * would exit at once).
 */

const GRACE_MS = 10_000;

type Signal = "SIGTERM" | "SIGINT";

/** A person's Run tests (POST /api/sessions/:id/test-runs), whose answer the stop waits to have sent. */
const TEST_RUN_REQUEST = /^\/api\/sessions\/[^/?#]+\/test-runs\/?(?:[?#]|$)/;

/** A session's event stream (GET /api/sessions/:id/events), which the stop closes once the runs have ended. */
const EVENT_STREAM_REQUEST = /^\/api\/sessions\/[^/?#]+\/events\/?(?:[?#]|$)/;

/** Whether an HTTP request is a person's Run tests (method and path as the server received them). */
export function isTestRunRequest(method: string | undefined, url: string | undefined): boolean {
  return method === "POST" && TEST_RUN_REQUEST.test(url ?? "");
}

/** Whether an HTTP request is a session's event stream (method and path as the server received them). */
export function isEventStreamRequest(method: string | undefined, url: string | undefined): boolean {
  return method === "GET" && EVENT_STREAM_REQUEST.test(url ?? "");
}

/**
 * Watches this process's HTTP server (node:diagnostics_channel, so it needs no handle on
 * Next's server) for requests that `matches`, and `answered()` resolves once every such
 * response under way at the call has been sent to the client in full, or its client has
 * gone. A test run's work settling is not enough: Next writes the route's Response to the
 * socket some ticks later, and a process.exit in between sends the person an empty reply.
 */
export function watchResponses(matches: (request: IncomingMessage) => boolean): {
  answered(): Promise<void>;
  close(): void;
} {
  const going = new Map<ServerResponse, Promise<void>>();
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!matches(request)) return;
    // "close" follows "finish" once the last byte went out, and comes alone when the client hung up
    going.set(response, new Promise((resolve) => response.once("close", () => resolve())));
    response.once("close", () => going.delete(response));
  };
  subscribe("http.server.request.start", onStart);
  return {
    answered: async () => {
      await Promise.all(going.values());
    },
    close: () => unsubscribe("http.server.request.start", onStart),
  };
}

export function installGracefulShutdown(exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let stopping = false;
  const answers = watchResponses(
    (request) => isTestRunRequest(request.method, request.url) || isEventStreamRequest(request.method, request.url),
  );
  const onSignal = (signal: Signal) => {
    if (stopping) return;
    stopping = true;
    if (activeRuns.size > 0) console.log(`${signal}: stopping ${activeRuns.size} run(s) and saving their steps…`);
    const grace = new Promise((resolve) => setTimeout(resolve, GRACE_MS).unref());
    const settled = Promise.all([stopAllRuns(), settleTestRuns()]).then(() => {
      closeEventStreams();
      // the runs' ends reach other instances' viewers through the bus (Redis sends on the next tick)
      return Promise.all([answers.answered(), processState().sessionBus?.flush()]);
    });
    void Promise.race([settled, grace]).finally(() => exit(signal === "SIGINT" ? 130 : 143));
  };
  const onTerm = () => onSignal("SIGTERM");
  const onInt = () => onSignal("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return () => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    answers.close();
  };
}
