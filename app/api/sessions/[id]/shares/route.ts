import { createShareBody, expiryOf } from "@/lib/auth/schema";
import { createShareLink, listShareLinks } from "@/lib/db/share-links";
import { AppError } from "@/lib/http/errors";
import { readJson, sessionRoute } from "@/lib/http/route";

/** The session's share links, newest first (never their tokens). */
export const GET = sessionRoute("shares:manage", async (_request, { caller, session }) =>
  Response.json({ shares: await listShareLinks({ caller, sessionId: session.id }) }),
);

/** A new share link: its token and page path are in this response only. */
export const POST = sessionRoute("shares:manage", async (request, { caller, session }) => {
  const body = await readJson(request, createShareBody);
  const leafId = body.scope === "branch" ? (body.leafId ?? session.activeLeafId) : null;
  if (body.scope === "branch" && leafId === null) {
    throw new AppError("bad_request:leaf", "This session has no branch open: name the step to share (leafId).");
  }
  const minted = await createShareLink({
    caller,
    sessionId: session.id,
    leafId,
    expiresAt: expiryOf(body.expiresInDays),
  });
  return Response.json(minted, { status: 201 });
});
