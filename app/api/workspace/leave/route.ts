import { leaveWorkspace } from "@/lib/auth/members";
import { workspaceRoute } from "@/lib/http/route";

/** The caller leaves their workspace (its last owner can't: 409); the browser moves to another of theirs. */
export const POST = workspaceRoute("sessions:read", async (_request, { caller }) => {
  await leaveWorkspace(caller);
  return new Response(null, { status: 204 });
});
