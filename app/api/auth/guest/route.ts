import { assertGuestAllowed } from "@/lib/auth/guest-limit";
import { accountFirstPath, safeNext } from "@/lib/auth/paths";
import { getAuth } from "@/lib/auth/server";
import { signedIn, withHost } from "@/lib/auth/session-caller";
import { env } from "@/lib/env";
import { publicRoute } from "@/lib/http/route";

/**
 * A first visit's account, with no form: the proxy sends a browser without a sign-in
 * cookie here (`?next=` the page it asked for); it gets a guest account with a workspace
 * of its own, its cookie, and a redirect back. Already signed in: straight back. Guests
 * off (AUTH_GUESTS=false): to the sign-in page. More than GUEST_ACCOUNTS_PER_MINUTE from one
 * client address: 429 `rate_limit:guests` with Retry-After.
 */
export const GET = publicRoute(async (request) => {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  const back = (location: string) => new Response(null, { status: 303, headers: { location } });
  if (await signedIn(request)) return back(next);
  if (!env().AUTH_GUESTS) return back(accountFirstPath(next, false));
  assertGuestAllowed(request);
  const auth = await getAuth();
  const { headers } = await auth.api.signInAnonymous({ headers: withHost(request), returnHeaders: true });
  const response = back(next);
  for (const cookie of headers.getSetCookie()) response.headers.append("set-cookie", cookie);
  return response;
});
