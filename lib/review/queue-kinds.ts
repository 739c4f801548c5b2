import type { Caller } from "@/lib/auth/scopes";

/**
 * Which kinds of the "Needs review" queue a caller can act on: a branch asking for review
 * needs `reviews:write` (to give a verdict), a paused run `approvals:decide`, an open
 * comment thread `comments:write` (to reply or resolve). The queue lists and counts only
 * these, so the header's number is what the queue page lets the person do (a viewer sees
 * open threads, not approvals they can't decide).
 */
export interface QueueKinds {
  branches: boolean;
  approvals: boolean;
  comments: boolean;
}

/** The queue kinds `caller`'s scopes can act on. */
export function queueKindsOf(caller: Pick<Caller, "scopes">): QueueKinds {
  return {
    branches: caller.scopes.has("reviews:write"),
    approvals: caller.scopes.has("approvals:decide"),
    comments: caller.scopes.has("comments:write"),
  };
}
