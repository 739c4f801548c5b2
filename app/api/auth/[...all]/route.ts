import { accountNameProblem, namesAccount } from "@/lib/auth/account-name";
import { assertGuestAllowed } from "@/lib/auth/guest-limit";
import { authResponse } from "@/lib/auth/responses";
import { getAuth } from "@/lib/auth/server";
import { route } from "@/lib/http/route";

/** better-auth's endpoint that makes a guest (anonymous) account: limited per client address, as /api/auth/guest is. */
const GUEST_PATH = "/api/auth/sign-in/anonymous";

/**
 * better-auth's endpoints (sign-up, sign-in, sign-out, get-session, revoke-sessions,
 * sign-in/anonymous …; docs/api.md "Accounts"), its errors rewritten to the app's JSON
 * error shape. The proxy has checked Host and Origin already; better-auth checks Origin
 * against its trusted origins again. An account name past MAX_ACCOUNT_NAME_LENGTH is refused
 * first (better-auth has no limit: a name of megabytes was kept, shown and mailed).
 */
const handler = route(async (request: Request) => {
  const pathname = new URL(request.url).pathname.replace(/\/+$/, "");
  if (request.method === "POST" && pathname === GUEST_PATH) assertGuestAllowed(request);
  if (request.method === "POST" && namesAccount(pathname)) {
    const problem = accountNameProblem(
      await request
        .clone()
        .json()
        .catch(() => null),
    );
    if (problem) throw problem;
  }
  return authResponse(await (await getAuth()).handler(request));
});

export { handler as GET, handler as POST };
