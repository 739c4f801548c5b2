import { credentialRevoked } from "@/lib/auth/credentials";
import { remintShareLink } from "@/lib/db/share-links";
import { workspaceRoute } from "@/lib/http/route";

/** A new URL for a link: the old one stops working at once (open streams end); the new token is in this response only. */
export const POST = workspaceRoute<{ shareId: string }>("shares:manage", async (_request, { caller, params }) => {
  const minted = await remintShareLink({ caller, id: params.shareId });
  credentialRevoked(minted.link.id);
  return Response.json(minted);
});
