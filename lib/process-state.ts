import type { Transporter } from "nodemailer";
import type { ActiveRun } from "@/lib/agent/active-runs";
import type { RunQueueProcessState } from "@/lib/agent/run-queue";
import type { StreamWaiters } from "@/lib/agent/stream-priority";
import type { CachedCredential } from "@/lib/auth/credentials";
import type { Auth } from "@/lib/auth/server";
import type { Database } from "@/lib/db/client";
import type { Metrics } from "@/lib/metrics";
import type { Emulator } from "@/lib/model/emulator";
import type { EventBus } from "@/lib/realtime/bus";
import type { OpenViewers } from "@/lib/realtime/presence";
import type { SandboxPool } from "@/lib/sandbox/pool";
import type { RunView } from "@/lib/wire/sessions";

/**
 * Everything one app process holds in memory between requests, in one list — the list to
 * read when a second instance arrives. Each entry says what becomes of it with several
 * instances (README "Several instances").
 *
 * The values live on one object on `globalThis`: Next.js loads a module once per route
 * bundle and once more for the instrumentation hook (and the dev server reloads modules),
 * so module-level variables would give each copy its own value.
 */
export interface ProcessState {
  /**
   * the database connection and its step-row write queue (lib/db/client.ts), which holds the steps whose latest
   * state is not in the database yet (lib/db/step-rows.ts; other instances replay them from Redis); shared data is in PostgreSQL
   */
  database?: Promise<Database>;
  /** share-link and API-token callers by token hash, for 30 s (lib/auth/credentials.ts); revocations reach every instance through the bus */
  credentialCallers?: Map<string, CachedCredential>;
  /** better-auth over the database (lib/auth/server.ts); stateless between requests: sessions live in the database */
  auth?: Promise<Auth>;
  /**
   * per limit ("runs" per user, "guests" per client address), each key's events in the current window
   * (lib/http/rate-limit.ts); per instance, so N instances allow N times the limit
   */
  rateWindows?: Map<string, Map<string, number[]>>;
  /**
   * per user (or workspace), how many test runs (Run tests) are going in this process (lib/auth/run-limit.ts); per
   * instance, as the sandbox queue it guards is (suite runs are counted in the database)
   */
  testRunsGoing?: Map<string, number>;
  /**
   * the session event streams this process holds open, for presence (lib/realtime/presence.ts); their rows are in
   * the database, so every instance lists everyone's viewers, and a dead instance's rows expire
   */
  openViewers?: OpenViewers;
  /** the heartbeat that renews this process's viewer rows (lib/realtime/presence.ts) */
  presenceHeartbeat?: ReturnType<typeof setInterval>;
  /** by session id: the presence list this process sends again once a change has settled (lib/realtime/presence.ts) */
  presenceResends?: Map<string, ReturnType<typeof setTimeout>>;
  /** the session event bus (lib/realtime/bus.ts): in process, or through Redis across instances (REDIS_URL) */
  sessionBus?: EventBus;
  /** the runs this process executes, by run id (lib/agent/active-runs.ts); other instances see them through run leases */
  activeRuns?: Map<string, ActiveRun>;
  /** set when the server is stopping: no run starts here any more (lib/agent/active-runs.ts) */
  stoppingAll?: boolean;
  /** aborted by a graceful stop once its runs have ended: every session event stream here sends what it holds and closes (lib/realtime/sse.ts) */
  eventStreamsClosing?: AbortController;
  /** the people's test runs (Run tests) this process is running, which a graceful stop lets finish (lib/agent/active-runs.ts) */
  testRunsRunning?: Set<Promise<unknown>>;
  /** sessions whose run this process is starting (lib/agent/run.ts); across instances the database refuses a second running run */
  startingSessions?: Set<string>;
  /**
   * per interrupted run, the resume of it this process is starting (lib/agent/run-resume.ts), so two at once here start
   * one; across instances the database's unique `resumesRunId` refuses the second
   */
  resumesStarting?: Map<string, Promise<RunView>>;
  /**
   * pg-boss and this process's worker on the durable run queue (lib/agent/run-queue.ts), PostgreSQL only; the
   * queue itself is in the database, so every instance's worker takes from the same one
   */
  runQueue?: RunQueueProcessState;
  /** runs' between-turn work waiting behind streaming deltas, one run per event-loop turn (lib/agent/stream-priority.ts); per instance */
  streamWaiters?: StreamWaiters;
  /**
   * the creation order of the next step a run opens here (lib/agent/step-writer.ts): the write-behind queue writes a
   * new parent before its children; per instance, as the queue is
   */
  nextStepOrder?: number;
  /** whether this process listens for Stop requests made on other instances (lib/agent/run.ts) */
  listeningForStops?: boolean;
  /** this process's id as a run owner (lib/agent/run-lease.ts): new on every start */
  instanceId?: string;
  /** the heartbeat that renews this process's run leases (lib/agent/run-lease.ts) */
  leaseKeeper?: ReturnType<typeof setInterval>;
  /** suite runs this process executes (lib/agent/active-runs.ts, lib/suites/runner.ts); leased like runs */
  activeSuiteRuns?: Map<string, { controller: AbortController; done: Promise<void> }>;
  /** the offline demo model's in-process wire emulator (lib/model/offline-demo.ts) */
  offlineEmulator?: Promise<Emulator>;
  /** the sandbox's worker pool (lib/sandbox/index.ts); per instance by design */
  sandboxPool?: SandboxPool;
  /** counters served by /api/metrics (lib/metrics.ts); per instance */
  metrics?: Metrics;
  /** the SMTP transport over SMTP_URL (lib/mail/send.ts), made on the first mail; per instance, it holds no state to share */
  mailer?: Transporter;
}

const KEY = Symbol.for("interleave.processState");

/** This process's state object (created empty on first use); callers initialise their own entries. */
export function processState(): ProcessState {
  const scope = globalThis as { [KEY]?: ProcessState };
  scope[KEY] ??= {};
  return scope[KEY];
}
