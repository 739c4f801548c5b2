import { addBranchReview, listBranchReviews } from "@/lib/db/reviews";
import { AppError } from "@/lib/http/errors";
import { isPlausibleId } from "@/lib/http/input";
import { readJson, sessionRoute } from "@/lib/http/route";
import { createReviewBody } from "./schema";

/** 400 `bad_request:leaf` when `value` (named `field`) can't be a step id: no step could have it, so not a 404. */
function assertLeafId(value: string, field: string) {
  if (!isPlausibleId(value)) {
    throw new AppError("bad_request:leaf", `\`${field}\` must be the id of a step of this session.`);
  }
}

/** The session's review verdicts, oldest first; `?leaf=<stepId>`: only that branch's. */
export const GET = sessionRoute("sessions:read", async (request, { caller, session }) => {
  const leaf = new URL(request.url).searchParams.get("leaf");
  if (leaf !== null) assertLeafId(leaf, "leaf");
  const reviews = await listBranchReviews({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    leafId: leaf ?? undefined,
  });
  return Response.json({ reviews });
});

/**
 * A verdict on the branch ending at `leafId`: ask for review, approve, or ask for changes (with a summary). 201;
 * 400 `bad_request:leaf` for a `leafId` that can't be a step id (or is not a branch's end), 404 `not_found:step` for
 * one that names no step of this session.
 */
export const POST = sessionRoute("reviews:write", async (request, { caller, session }) => {
  const body = await readJson(request, createReviewBody);
  const review = await addBranchReview({
    sessionId: session.id,
    workspaceId: caller.workspaceId,
    leafId: body.leafId,
    verdict: body.verdict,
    summary: body.summary ?? "",
    userId: caller.userId,
  });
  return Response.json({ review }, { status: 201 });
});
