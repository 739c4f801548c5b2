import type { SessionEvent } from "@/lib/wire/events";

/**
 * Whether `events` (one session's, in sequence order) show step `stepId` as part of the
 * session: created (or updated) and not removed since. A step streaming on another
 * instance reaches the database up to ~250 ms after its `step.created` is on the bus;
 * meanwhile the bus is the only witness that it is the session's.
 */
export function stepLiveIn(events: readonly SessionEvent[], stepId: string): boolean {
  let live = false;
  for (const event of events) {
    if ((event.type === "step.created" || event.type === "step.updated") && event.step.id === stepId) live = true;
    else if (event.type === "step.removed" && event.stepId === stepId) live = false;
  }
  return live;
}
