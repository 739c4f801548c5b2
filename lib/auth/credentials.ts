import "server-only";
import { findTokenGrant } from "@/lib/db/api-tokens";
import { type CredentialTable, recordCredentialUse } from "@/lib/db/credential-use";
import { findShareGrant } from "@/lib/db/share-links";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "@/lib/realtime/bus";
import type { StreamEnded } from "@/lib/wire/shares";
import { type Caller, scopesOf } from "./scopes";
import { hashToken, shouldRecordUse } from "./tokens";

/**
 * Callers proved by a share link's token or a personal API token. A token is looked up
 * once (one query) and its caller kept for CACHE_MS by the token's hash, so a bot polling
 * the API or a crowd of share viewers costs no query per request, and an SSE stream none
 * per event (its caller is resolved once, when it opens). Revoking or re-minting
 * announces the credential on the bus (`credentialRevoked`): every instance drops it from
 * this cache and ends its open streams at once; the cache's expiry bounds how long a
 * missed announcement (Redis away) could let it work.
 */

/** How long a resolved token's caller is reused (ms). */
export const CACHE_MS = 30_000;
/** Upper bound on cached tokens per process: past it the oldest go first. */
const CACHE_LIMIT = 10_000;

/** A cached caller; `until` is when it must be looked up again (ms since the epoch). */
export interface CachedCredential {
  caller: Caller | null;
  until: number;
  /** records a use of the link or token (lastUseRecorder) */
  onUse?: () => void;
}

function cache(): Map<string, CachedCredential> {
  const state = processState();
  if (!state.credentialCallers) {
    const entries = new Map<string, CachedCredential>();
    state.credentialCallers = entries;
    getSessionBus().onRevoked((credentialId) => {
      for (const [hash, entry] of entries) {
        const caller = entry.caller;
        if (!caller) continue;
        if (caller.credentialId === credentialId || (caller.userId && membershipIds(caller).includes(credentialId))) {
          entries.delete(hash);
        }
      }
    });
  }
  return state.credentialCallers;
}

async function cached(token: string, load: () => Promise<CachedCredential>): Promise<Caller | null> {
  const entries = cache();
  const hash = hashToken(token);
  const now = Date.now();
  let entry = entries.get(hash);
  if (!entry || entry.until <= now) {
    entry = await load();
    entries.delete(hash);
    if (entries.size >= CACHE_LIMIT) entries.delete(entries.keys().next().value as string);
    entries.set(hash, entry);
  }
  entry.onUse?.();
  return entry.caller;
}

/**
 * Records the uses of one share link or API token as its `lastUsedAt`: at most one write a
 * minute, decided in memory first (so most requests, and every SSE event, cost no query),
 * then by the conditional update (lib/db/credential-use.ts), so other instances don't
 * write it again within the minute either. `lastUsedAt` is the row's as it was read.
 */
function lastUseRecorder(
  table: CredentialTable,
  { id, workspaceId, lastUsedAt }: { id: string; workspaceId: string; lastUsedAt: Date | null },
): () => void {
  let last = lastUsedAt;
  return () => {
    const now = new Date();
    if (!shouldRecordUse(last, now)) return;
    last = now;
    void recordCredentialUse({ table, id, workspaceId, now });
  };
}

/** When a cached credential must be checked again: CACHE_MS from now, or its expiry if sooner. */
const cacheUntil = (now: number, expiresAt: Date | null) => Math.min(now + CACHE_MS, expiresAt?.getTime() ?? Infinity);

/**
 * The caller a share token proves: an anonymous viewer of one session (its branch, when
 * the link shares one), with `sessions:read` only; null for an unknown, revoked or
 * expired link. Opening the link's page or stream records its last use, at most once a minute.
 */
export function callerFromShareToken(token: string): Promise<Caller | null> {
  return cached(token, async () => {
    const now = Date.now();
    const grant = await findShareGrant(hashToken(token), new Date(now));
    if (!grant) return { caller: null, until: now + CACHE_MS };
    return {
      until: cacheUntil(now, grant.expiresAt),
      caller: {
        workspaceId: grant.workspaceId,
        userId: null,
        role: "viewer",
        scopes: new Set(["sessions:read"]),
        via: "share",
        share: { sessionId: grant.sessionId, leafId: grant.leafId },
        credentialId: grant.id,
      },
      onUse: lastUseRecorder("shareLink", grant),
    };
  });
}

/**
 * The caller an API token proves: its user in its workspace with the token's role capped
 * by the user's membership there; null for an unknown, revoked or expired token or a user
 * who left the workspace. Uses are recorded at most once a minute.
 */
export function callerFromApiToken(token: string): Promise<Caller | null> {
  return cached(token, async () => {
    const now = Date.now();
    const grant = await findTokenGrant(hashToken(token), new Date(now));
    if (!grant) return { caller: null, until: now + CACHE_MS };
    return {
      until: cacheUntil(now, grant.expiresAt),
      caller: {
        workspaceId: grant.workspaceId,
        userId: grant.userId,
        role: grant.role,
        scopes: scopesOf(grant.role),
        via: "token",
        credentialId: grant.id,
      },
      onUse: lastUseRecorder("apiToken", grant),
    };
  });
}

/** A share link or API token stopped working: every instance forgets it and ends its streams. */
export function credentialRevoked(credentialId: string): void {
  getSessionBus().announceRevoked(credentialId);
}

/**
 * The ids announced on the bus (as a revoked credential's) when a person's membership of a
 * workspace ends (`removed`) or changes role (`role`): cached token callers of that person
 * there are dropped on both, so the next use reads the membership as it is now; open
 * streams of that person there end on `removed`.
 */
const memberRemovedId = (workspaceId: string, userId: string) => `member-removed:${workspaceId}:${userId}`;
const memberRoleId = (workspaceId: string, userId: string) => `member-role:${workspaceId}:${userId}`;

function membershipIds(caller: Caller): string[] {
  if (!caller.userId) return [];
  return [memberRemovedId(caller.workspaceId, caller.userId), memberRoleId(caller.workspaceId, caller.userId)];
}

/**
 * A person left or was removed from a workspace (`role` null), or their role there changed:
 * every instance forgets their cached API token callers there, and on removal ends their
 * open event streams of the workspace's sessions (whichever credential opened them).
 */
export function membershipChanged(workspaceId: string, userId: string, role: string | null): void {
  getSessionBus().announceRevoked(
    role === null ? memberRemovedId(workspaceId, userId) : memberRoleId(workspaceId, userId),
  );
}

/**
 * A signal aborted when the caller's share link or API token is revoked or re-minted, or
 * the caller's person is removed from the workspace (on any instance), its reason the
 * stream's last message; undefined for a caller that is neither. It stops listening when
 * `until` aborts (the request ends).
 */
export function revokedSignal(caller: Caller, until: AbortSignal): AbortSignal | undefined {
  const { credentialId } = caller;
  const removedId = caller.userId && caller.via !== "share" ? memberRemovedId(caller.workspaceId, caller.userId) : null;
  if (!credentialId && !removedId) return undefined;
  const controller = new AbortController();
  const revoked: StreamEnded = {
    type: "ended",
    code: "revoked",
    message:
      caller.via === "share"
        ? "This share link was revoked or replaced by its owner, so it no longer shows the session."
        : "This API token was revoked.",
  };
  const removed: StreamEnded = {
    type: "ended",
    code: "removed",
    message: "You are no longer a member of this workspace, so this session no longer updates.",
  };
  const stop = getSessionBus().onRevoked((id) => {
    if (credentialId && id === credentialId) controller.abort(revoked);
    else if (removedId && id === removedId) controller.abort(removed);
  });
  until.addEventListener("abort", stop, { once: true });
  controller.signal.addEventListener("abort", stop, { once: true });
  return controller.signal;
}
