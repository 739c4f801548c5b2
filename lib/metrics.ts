import { processState } from "@/lib/process-state";

/**
 * Process-wide counters for operators and the streaming benchmark
 * (GET /api/metrics). Plain numbers: cheap enough to bump on every write.
 */
export interface Metrics {
  stepsCreated: number;
  /** step rows written (a row is rewritten at most once per write interval while it streams) */
  stepRowWrites: number;
  /** statements that carried them: one per flush for all runs together */
  stepStatements: number;
  runsStarted: number;
  runsFinished: number;
  sseConnections: number;
}

const state = processState();
state.metrics ??= {
  stepsCreated: 0,
  stepRowWrites: 0,
  stepStatements: 0,
  runsStarted: 0,
  runsFinished: 0,
  sseConnections: 0,
};

export const metrics: Metrics = state.metrics;
