import { credentialRevoked } from "@/lib/auth/credentials";
import { revokeShareLink } from "@/lib/db/share-links";
import { workspaceRoute } from "@/lib/http/route";

/** Revoke a link: its URL stops working at once, and viewers watching it see their stream end. */
export const DELETE = workspaceRoute<{ shareId: string }>("shares:manage", async (_request, { caller, params }) => {
  const share = await revokeShareLink({ caller, id: params.shareId });
  credentialRevoked(share.id);
  return Response.json({ share });
});
