/**
 * Presence (issue 12 item 5): who else is viewing a session and which step each has
 * selected. One entry per open tab; the server sends the whole list as a `presence`
 * event whenever it changes (someone opens or closes the session, or selects a step).
 */

/** How a viewer reached the session: signed in (a person, or their API token), or through a share link. */
export type ViewerKind = "person" | "link";

/** One tab viewing the session. Dates are ISO strings. */
export interface Viewer {
  /** the tab's own id (a random UUID it chose); a tab finds itself in the list by it */
  viewerId: string;
  /** the person's display name; "Someone with a link" for a share link's visitor */
  name: string;
  kind: ViewerKind;
  /** the signed-in person (a colour per person across tabs); null for a link's visitor */
  userId: string | null;
  /** the step this tab has selected, if any */
  stepId: string | null;
  /** when this tab opened the session */
  since: string;
}

/** POST /api/sessions/:id/presence: what the tab `viewerId` has selected now (null: nothing). */
export interface PresenceBody {
  viewerId: string;
  stepId: string | null;
}
