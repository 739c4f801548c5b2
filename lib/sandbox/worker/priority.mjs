/**
 * Lowers the CPU priority of the calling thread (Linux `nice`, 0–19; higher yields more).
 * A sandbox worker calls it before it loads an interpreter, so when the cores are
 * contested the kernel runs the app's main thread (relaying streams) first and the
 * sandbox takes what is left; on an idle machine the sandbox still gets a whole core.
 *
 * On Linux every thread has its own priority: `/proc/thread-self` names this thread's id,
 * and setpriority(2) with a thread id changes that thread alone. Raising the value needs no
 * privilege. Elsewhere (no /proc) nothing changes.
 *
 * @param {number} nice the niceness wanted, 0–19; a thread already nicer is left as it is
 * @returns {number | null} the niceness now in effect, or null where it can't be set
 */
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

export function lowerThreadPriority(nice) {
  let threadId;
  try {
    threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return null;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return null;
  try {
    const target = Math.min(19, Math.round(nice));
    if (getPriority(threadId) < target) setPriority(threadId, target);
    return getPriority(threadId);
  } catch {
    return null;
  }
}
