import { z } from "zod";
import { stepId } from "@/lib/http/input";
import { ROLES } from "./scopes";

/**
 * Request bodies for share links, API tokens and forks (app/api/…/shares, tokens,
 * sessions/fork). Expiry is given in days from now, which a form and a bot both say easily.
 */

/** Days a link or token may last at most when it expires (a year). */
export const MAX_EXPIRY_DAYS = 365;

const expiresInDays = z
  .number("expiresInDays must be a number of days")
  .positive("expiresInDays must be more than 0")
  .max(MAX_EXPIRY_DAYS, `expiresInDays can be at most ${MAX_EXPIRY_DAYS}; leave it out for no expiry`)
  .nullable()
  .optional();

/** `expiresInDays` → the instant it means, or null (never). */
export function expiryOf(days: number | null | undefined, now = new Date()): Date | null {
  return days ? new Date(now.getTime() + days * 86_400_000) : null;
}

/** POST /api/sessions/[id]/shares: `scope` tree (default) or branch, the branch's last step (default: the open one). */
export const createShareBody = z.object({
  scope: z.enum(["tree", "branch"], "scope must be tree or branch").default("tree"),
  leafId: stepId("leafId").optional(),
  expiresInDays,
});

/** POST /api/tokens: a name to recognise it by, at most the caller's role. */
export const createTokenBody = z.object({
  name: z
    .string("name must be text")
    .trim()
    .min(1, "Give the token a name, such as the bot that will use it.")
    .max(100, "name can be at most 100 characters"),
  role: z.enum(ROLES, `role must be one of ${ROLES.join(", ")}`).optional(),
  expiresInDays,
});

/** POST /api/sessions/fork: the share link's token, and the step to fork at (default: the link's branch). */
export const forkBody = z.object({
  token: z.string("token must be the share link's token").min(1).max(200),
  leafId: stepId("leafId").optional(),
});
