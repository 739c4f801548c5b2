import { getStepsById, MAX_STEPS_PER_PAGE } from "@/lib/db/branch-view";
import { AppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { sessionRoute } from "@/lib/http/route";
import { sharedStep } from "@/lib/realtime/share-view";

/**
 * `?ids=a,b,c` (at most 200): those steps of the session whole, with the steps they were
 * edited from — a page of the branch on screen, fetched as its rows come into view.
 * Unknown ids are left out, and for a branch share link's viewer those the link doesn't show;
 * a share link's viewer gets them without their authors' user ids (`sharedStep`).
 */
export const GET = sessionRoute(
  "sessions:read",
  async (request, { caller, session: { id } }) => {
    const raw = new URL(request.url).searchParams.get("ids") ?? "";
    const ids = [...new Set(raw.split(",").filter((stepId) => stepId !== ""))];
    if (ids.length === 0 || ids.length > MAX_STEPS_PER_PAGE || !ids.every(isPlausibleId)) {
      throw new AppError(
        "bad_request:ids",
        `\`ids\` must be 1 to ${MAX_STEPS_PER_PAGE} step ids of this session, separated by commas.`,
      );
    }
    const steps = await getStepsById({
      id,
      workspaceId: caller.workspaceId,
      ids,
      sharedLeafId: caller.share?.leafId ?? null,
    });
    return Response.json(
      { steps: caller.share ? steps.map(sharedStep) : steps },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { shareable: true },
);
