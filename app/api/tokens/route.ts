import { createTokenBody, expiryOf } from "@/lib/auth/schema";
import { createApiToken, listApiTokens } from "@/lib/db/api-tokens";
import { readJson, workspaceRoute } from "@/lib/http/route";

/** Your API tokens in this workspace, newest first (never the tokens themselves). */
export const GET = workspaceRoute("tokens:manage", async (_request, { caller }) =>
  Response.json({ tokens: await listApiTokens({ caller }) }),
);

/** A new API token: the token is in this response only. */
export const POST = workspaceRoute("tokens:manage", async (request, { caller }) => {
  const body = await readJson(request, createTokenBody);
  const created = await createApiToken({
    caller,
    name: body.name,
    role: body.role,
    expiresAt: expiryOf(body.expiresInDays),
  });
  return Response.json(created, { status: 201 });
});
