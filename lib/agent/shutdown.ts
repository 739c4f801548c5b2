import { activeRuns, settleTestRuns, stopAllRuns } from "./active-runs";

/**
 * On SIGTERM or SIGINT, the server stops its runs before it exits: each closes its open
 * steps as interrupted, writes every step streamed so far and records that it failed
 * because the server stopped (Retry resumes it), instead of staying "running" forever in
 * a shared database. People's test runs going (Run tests) finish and answer; no new one
 * starts. Runs and test runs get GRACE_MS; then the process exits anyway. Installed by
 * instrumentation.ts when `npm start` sets NEXT_MANUAL_SIG_HANDLE (Next's own handlers
 * would exit at once).
 */

const GRACE_MS = 10_000;

type Signal = "SIGTERM" | "SIGINT";

export function installGracefulShutdown(exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let stopping = false;
  const onSignal = (signal: Signal) => {
    if (stopping) return;
    stopping = true;
    if (activeRuns.size > 0) console.log(`${signal}: stopping ${activeRuns.size} run(s) and saving their steps…`);
    const grace = new Promise((resolve) => setTimeout(resolve, GRACE_MS).unref());
    void Promise.race([Promise.all([stopAllRuns(), settleTestRuns()]), grace]).finally(() =>
      exit(signal === "SIGINT" ? 130 : 143),
    );
  };
  const onTerm = () => onSignal("SIGTERM");
  const onInt = () => onSignal("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return () => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
  };
}
