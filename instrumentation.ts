/** Runs once when the server starts (Next.js instrumentation hook). */
export async function register() {
  // `next build` runs this too (prerendering), and needs no configured environment
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    // a bad variable stops the start here, named, rather than making every request a 500
    const { exitOnBadEnv } = await import("./lib/env");
    exitOnBadEnv();
    // the first test run after a start finds its interpreter loaded
    const { warmUpSandboxAtStart } = await import("./lib/sandbox");
    warmUpSandboxAtStart();
  }
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // renew this instance's run leases, finish runs whose server died and (PostgreSQL) take queued runs, from the start
    const { startRunWorker } = await import("./lib/agent/run");
    // a database not up yet is no reason not to serve: the first run start tries again
    await startRunWorker().catch((error: unknown) => console.error("[runs] could not start the run worker", error));
  }
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { installGracefulShutdown } = await import("./lib/agent/shutdown");
    installGracefulShutdown();
  }
}
