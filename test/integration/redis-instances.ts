import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { processState } from "@/lib/process-state";
import { RedisSessionBus } from "@/lib/realtime/redis-bus";

/**
 * Two app instances in one test file: two Redis buses on one Redis (TEST_REDIS_URL, default
 * redis://127.0.0.1:6379) under a prefix of their own. "A" is this process's bus, which the
 * routes use from the file's first test on; "B" stands for another instance. Both close
 * after the file.
 */
export function twoRedisInstances(): { busA: RedisSessionBus; busB: RedisSessionBus } {
  const url = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
  const prefix = `interleave-test-${randomUUID()}`;
  const busA = new RedisSessionBus({ url, prefix });
  const busB = new RedisSessionBus({ url, prefix });
  beforeAll(() => {
    processState().sessionBus = busA;
  });
  afterAll(async () => {
    await Promise.all([busA.close(), busB.close()]);
  });
  return { busA, busB };
}
