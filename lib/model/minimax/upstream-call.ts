import { ModelCallError, networkError, stalledError } from "./errors";
import type { Transport, UpstreamRequest, UpstreamResponse } from "./transport";

export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/**
 * One HTTP exchange with MiniMax: the request's abort controller, the caller's abort
 * signal, and a stall watchdog that aborts when no byte has arrived for `stallTimeoutMs`
 * while we are waiting for one (time the consumer spends not reading doesn't count). One
 * timer per call, re-armed lazily, so a chunk costs a clock read (`performance.now()`, in ms:
 * Next.js wraps `Date.now` in a check per call, see lib/realtime/bus.ts).
 */
export class UpstreamCall {
  private readonly controller = new AbortController();
  private waitingSince: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stalled = false;

  constructor(
    private readonly stallTimeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
    this.timer = setTimeout(this.checkStall, stallTimeoutMs);
  }

  async send(transport: Transport, request: Omit<UpstreamRequest, "signal">): Promise<UpstreamResponse> {
    if (this.callerSignal?.aborted) {
      this.close();
      throw this.callerSignal.reason;
    }
    try {
      return await this.waitFor(transport({ ...request, signal: this.controller.signal }));
    } catch (error) {
      this.close();
      throw this.failure(error, () => networkError(request.url, error));
    }
  }

  /** Await something that needs bytes from MiniMax, under the stall watchdog. */
  async waitFor<T>(pending: Promise<T>): Promise<T> {
    this.expecting();
    try {
      return await pending;
    } finally {
      this.notExpecting();
    }
  }

  /** A byte arrived, or we start waiting for one: the stall clock starts over. */
  expecting(): void {
    this.waitingSince = performance.now();
  }

  /** We are not reading (the consumer has enough for now): the stall clock stops. */
  notExpecting(): void {
    this.waitingSince = undefined;
  }

  /** What a failed await means: the caller's abort (rethrown as is), a stall, or `otherwise`. */
  failure(error: unknown, otherwise: () => ModelCallError): unknown {
    if (this.callerSignal?.aborted) return this.callerSignal.reason;
    if (this.stalled) return stalledError(this.stallTimeoutMs);
    return error instanceof ModelCallError ? error : otherwise();
  }

  /** The exchange is over: stop the watchdog and stop listening to the caller. */
  close(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }

  /** The consumer gave up on the response: drop the connection. */
  abort(): void {
    this.close();
    this.controller.abort();
  }

  private readonly onCallerAbort = () => {
    this.controller.abort(this.callerSignal?.reason);
  };

  private readonly checkStall = () => {
    const idle = this.waitingSince === undefined ? 0 : performance.now() - this.waitingSince;
    if (idle >= this.stallTimeoutMs) {
      this.stalled = true;
      this.controller.abort();
      return;
    }
    this.timer = setTimeout(this.checkStall, this.stallTimeoutMs - idle);
  };
}
