import { createContext, useContext } from "react";

/**
 * How the page on screen reaches its session: as a member (their sign-in cookie, every
 * control the role allows), or as a share link's viewer — `share` is the link's token,
 * which each request for the session carries (`?share=`, lib/wire/client.ts withShare),
 * and `readOnly` leaves out every control that would change it (run, stop, edit,
 * regenerate, save, tests, export, the branch list).
 */
export interface SessionAccess {
  share: string | null;
  readOnly: boolean;
}

export const MEMBER_ACCESS: SessionAccess = { share: null, readOnly: false };

export const SessionAccessContext = createContext<SessionAccess>(MEMBER_ACCESS);

/** The access of the session view this component is in. */
export function useSessionAccess(): SessionAccess {
  return useContext(SessionAccessContext);
}
