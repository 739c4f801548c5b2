import { credentialRevoked } from "@/lib/auth/credentials";
import { revokeApiToken } from "@/lib/db/api-tokens";
import { workspaceRoute } from "@/lib/http/route";

/** Revoke one of your tokens: it stops working at once, on every instance. */
export const DELETE = workspaceRoute<{ tokenId: string }>("tokens:manage", async (_request, { caller, params }) => {
  const apiToken = await revokeApiToken({ caller, id: params.tokenId });
  credentialRevoked(apiToken.id);
  return Response.json({ apiToken });
});
