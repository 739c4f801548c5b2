import { listShareLinks } from "@/lib/db/share-links";
import { workspaceRoute } from "@/lib/http/route";

/** Every share link of the workspace, newest first (never their tokens). */
export const GET = workspaceRoute("shares:manage", async (_request, { caller }) =>
  Response.json({ shares: await listShareLinks({ caller }) }),
);
