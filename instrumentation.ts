/** Runs once when the server starts (Next.js instrumentation hook). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // renew this instance's run leases and finish runs whose server died, from the start
    const { startLeaseKeeper } = await import("./lib/agent/run-lease");
    startLeaseKeeper();
  }
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { installGracefulShutdown } = await import("./lib/agent/shutdown");
    installGracefulShutdown();
  }
}
