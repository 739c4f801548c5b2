import "server-only";
import { headers } from "next/headers";
import { type SignedIn, signedIn } from "./session-caller";

/** The signed-in browser a page is rendered for, or null (pages anyone may open: sign-in, invitations). */
export async function pageSignedIn(): Promise<SignedIn | null> {
  return signedIn(new Request("http://page.invalid/", { headers: await headers() }));
}
