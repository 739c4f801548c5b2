import { requireBrowser } from "@/lib/auth/account";
import { leaveWorkspace } from "@/lib/auth/members";
import { workspaceRoute } from "@/lib/http/route";

/**
 * The signed-in browser's user leaves their workspace (its last owner can't: 409; an API
 * token can't make its person leave: 400); the browser moves to another of theirs.
 */
export const POST = workspaceRoute("sessions:read", async (request, { caller }) => {
  await requireBrowser(request);
  await leaveWorkspace(caller);
  return new Response(null, { status: 204 });
});
