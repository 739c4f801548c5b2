import { PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

/**
 * PGlite runs Postgres on this process's main thread and answers back-to-back queries
 * without ever yielding, so a burst of step writes (every run finishing a turn at once)
 * would hold up every stream's relay until it is done. Here each call waits its turn and
 * starts in a fresh macrotask: at most one query's CPU sits between two socket reads.
 */
export class YieldingPGlite extends PGlite {
  private tail: Promise<unknown> = Promise.resolve();

  private inTurn<T>(call: () => Promise<T>): Promise<T> {
    const run = this.tail.then(nextMacrotask).then(call);
    this.tail = run.catch(() => undefined);
    return run;
  }

  override query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.inTurn(() => super.query<T>(query, params, options));
  }

  override exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.inTurn(() => super.exec(query, options));
  }

  override transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.inTurn(() => super.transaction(callback));
  }
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
