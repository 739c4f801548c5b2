import { getCallerBranchView } from "@/lib/db/branch-view";
import { AppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { sessionRoute } from "@/lib/http/route";

/**
 * `?from=<stepId>`: the outline of the branch through that step — its latest continuation,
 * or ending exactly there with `&exact=1` — and the steps at its end, as the page carries
 * them (lib/steps/branch-outline.ts). Without `from`: the session's active branch. A branch
 * share link's viewer gets only what the link shows: its branch, and the branches below it;
 * any share link's viewer gets the steps without their authors' user ids (getCallerBranchView).
 */
export const GET = sessionRoute(
  "sessions:read",
  async (request, { caller, session: { id } }) => {
    const query = new URL(request.url).searchParams;
    const from = query.get("from");
    if (from !== null && !isPlausibleId(from)) {
      throw new AppError("bad_request:from", "`from` must be the id of a step of this session.");
    }
    const exact = query.get("exact") === "1";
    const { branch, steps } = await getCallerBranchView(caller, { id, leafId: from, exact });
    return Response.json({ branch, steps }, { headers: { "cache-control": "no-store" } });
  },
  { shareable: true },
);
