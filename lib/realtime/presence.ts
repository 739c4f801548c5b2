import "server-only";
import { randomUUID } from "node:crypto";
import type { Caller } from "@/lib/auth/scopes";
import {
  closeViewer,
  listViewers,
  openViewer,
  removeExpiredViewers,
  renewViewers,
  selectViewerStep,
  type ViewerIdentity,
} from "@/lib/db/presence";
import { AppError } from "@/lib/http/errors";
import { processState } from "@/lib/process-state";
import { getSessionBus } from "./bus";
import { stepLiveIn } from "./live-steps";

/**
 * Presence (issue 12 item 5): a tab's event stream is its presence. When it opens, its
 * row is written and every viewer of the session gets the new list as a `presence`
 * event through the session bus (so through Redis, across instances); the same when it
 * selects a step or its stream closes. This instance renews its streams' rows every
 * RENEW_MS; rows of an instance that died expire after VIEWER_TTL_MS and the next
 * heartbeat anywhere removes them and tells their sessions.
 */

/** How long a row stays without renewal, in milliseconds: a dead instance's viewers go within this plus RENEW_MS. */
export const VIEWER_TTL_MS = 30_000;
/** How often this instance renews its streams' rows, in milliseconds. */
const RENEW_MS = 10_000;
/**
 * How long after it publishes a changed list this instance sends the session's list again,
 * in milliseconds. Each change's list is read, then published: two changes at once (two
 * tabs opening on two instances) may publish their lists in the other order, the older read
 * last — on a loaded server more than a second after it was read — and a tab's own first
 * list may be published before its stream listens. The second list is read after the first
 * was published, so after every change made until then: what everyone ends with is the
 * current list.
 */
export const PRESENCE_RESEND_MS = 1_000;

/** The streams this process holds open, by stream id. */
export type OpenViewers = Map<string, { sessionId: string; workspaceId: string }>;

function openStreams(): OpenViewers {
  const state = processState();
  state.openViewers ??= new Map();
  return state.openViewers;
}

/** Who the caller is, as a viewer row records it. */
export function identityOf(caller: Caller): ViewerIdentity {
  return { userId: caller.userId, shareLinkId: caller.via === "share" ? (caller.credentialId ?? null) : null };
}

/** Sends the session's current viewers to everyone following it. */
async function publishViewers(sessionId: string, workspaceId: string): Promise<void> {
  const viewers = await listViewers({ sessionId, workspaceId });
  getSessionBus().publish(sessionId, { type: "presence", viewers });
}

/**
 * The session's viewers changed: sends the list now, and again PRESENCE_RESEND_MS after it
 * went out (once per session however many changes come meanwhile: a resend already due
 * reads the list later still), so a list read before a concurrent change and published
 * after it doesn't stay on everyone's screen — however late it went out.
 */
async function announceViewers(sessionId: string, workspaceId: string): Promise<void> {
  try {
    await publishViewers(sessionId, workspaceId);
  } finally {
    resendViewers(sessionId, workspaceId);
  }
}

/** Sends the session's viewers again PRESENCE_RESEND_MS from now, unless a resend is already due. */
function resendViewers(sessionId: string, workspaceId: string): void {
  const state = processState();
  state.presenceResends ??= new Map();
  const resends = state.presenceResends;
  if (resends.has(sessionId)) return;
  const resend = setTimeout(() => {
    resends.delete(sessionId);
    publishViewers(sessionId, workspaceId).catch((error: unknown) =>
      console.error(`[presence ${sessionId}] could not send the viewers again`, error),
    );
  }, PRESENCE_RESEND_MS);
  resend.unref();
  resends.set(sessionId, resend);
}

/**
 * Tab `viewerId` of `caller` opened the session's stream: records it and tells the
 * session's viewers. Returns what to call when the stream closes (it removes the row,
 * unless a reconnect of the same tab has taken it over, and tells them again). Failures
 * are logged, never thrown: presence must not cost anyone their stream.
 */
export async function trackViewer({
  sessionId,
  workspaceId,
  viewerId,
  caller,
}: {
  sessionId: string;
  workspaceId: string;
  viewerId: string;
  caller: Caller;
}): Promise<() => void> {
  const streamId = randomUUID();
  try {
    startRenewing();
    const opened = await openViewer({
      sessionId,
      workspaceId,
      viewerId,
      streamId,
      identity: identityOf(caller),
      expiresAt: new Date(Date.now() + VIEWER_TTL_MS),
    });
    if (!opened) return () => {};
    openStreams().set(streamId, { sessionId, workspaceId });
    await announceViewers(sessionId, workspaceId);
  } catch (error) {
    console.error(`[presence ${sessionId}] could not record a viewer`, error);
    return () => {};
  }
  return () => {
    openStreams().delete(streamId);
    void closeViewer({ sessionId, workspaceId, viewerId, streamId })
      .then((closed) => (closed ? announceViewers(sessionId, workspaceId) : undefined))
      .catch((error: unknown) => console.error(`[presence ${sessionId}] could not remove a viewer`, error));
  };
}

/**
 * Tab `viewerId` selected a step (or nothing): tells the session's viewers. 404
 * `not_found:viewer` when the caller has no such tab open on the session, 404
 * `not_found:step` when the step is not the session's (another session's, another
 * workspace's, or none at all). A step with no row yet counts when this session's own
 * event bus holds it (streaming on another instance: its row is up to ~250 ms behind its
 * events); the bus is read per session, so another session's step stays a 404.
 */
export async function selectStep({
  sessionId,
  workspaceId,
  viewerId,
  caller,
  stepId,
}: {
  sessionId: string;
  workspaceId: string;
  viewerId: string;
  caller: Caller;
  stepId: string | null;
}): Promise<void> {
  const tab = { sessionId, workspaceId, viewerId, identity: identityOf(caller), stepId };
  let selected = await selectViewerStep(tab);
  if (selected === "no_step" && stepId !== null) {
    selected = await selectViewerStep({ ...tab, stepSeenLive: await stepUnwrittenOnBus(sessionId, stepId) });
  }
  if (selected === "no_viewer") {
    throw new AppError(
      "not_found:viewer",
      "This tab is not viewing the session (its event stream is closed). Reload the page.",
    );
  }
  if (selected === "no_step") throw new AppError("not_found:step", "That step is not part of this session.");
  await announceViewers(sessionId, workspaceId);
}

/**
 * Whether the session's bus holds step `stepId` among the events whose effect may not be
 * in the database yet (after the snapshot point's `replayAfter`: another instance's step
 * rows are written up to ~250 ms after their events). False on the in-process bus, whose
 * unwritten steps the step row queue answers for. A step written between the caller's
 * row check and this read is past `replayAfter` here, so the caller checks its row again.
 */
async function stepUnwrittenOnBus(sessionId: string, stepId: string): Promise<boolean> {
  const bus = getSessionBus();
  const { replayAfter } = await bus.snapshotPoint(sessionId);
  return stepLiveIn(await bus.eventsHeldAfter(sessionId, replayAfter), stepId);
}

/** One heartbeat: renew this instance's rows, then remove anyone's expired rows and tell their sessions. */
export async function presenceTick(now = Date.now()): Promise<void> {
  await renewViewers([...openStreams().keys()], new Date(now + VIEWER_TTL_MS));
  for (const { sessionId, workspaceId } of await removeExpiredViewers(new Date(now))) {
    await announceViewers(sessionId, workspaceId);
  }
}

function startRenewing(): void {
  const state = processState();
  if (state.presenceHeartbeat) return;
  state.presenceHeartbeat = setInterval(() => {
    presenceTick().catch((error: unknown) => console.error("[presence] heartbeat failed", error));
  }, RENEW_MS);
  state.presenceHeartbeat.unref();
}
