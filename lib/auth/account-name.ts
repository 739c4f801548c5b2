import { AppError } from "@/lib/http/errors";

/** The longest account name, in characters (the sign-up form's limit): it is shown beside every step and member, and greets each mail. */
export const MAX_ACCOUNT_NAME_LENGTH = 80;

/** better-auth's endpoints whose JSON body may carry an account `name`. */
const NAMING_PATHS = new Set(["/api/auth/sign-up/email", "/api/auth/update-user"]);

/** Whether a POST to `pathname` (without a trailing slash) may name the account: sign-up, update-user. Pure. */
export function namesAccount(pathname: string): boolean {
  return NAMING_PATHS.has(pathname);
}

/**
 * 400 `bad_request:validation` when the JSON `body` of a request that names the account
 * (namesAccount) has a `name` longer than MAX_ACCOUNT_NAME_LENGTH characters, else null.
 * Checked before better-auth runs, for any email, so the answer doesn't tell whether the
 * email has an account (sign-up answers alike for a taken one). Pure.
 */
export function accountNameProblem(body: unknown): AppError | null {
  const name = (body as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name.length <= MAX_ACCOUNT_NAME_LENGTH) return null;
  return new AppError(
    "bad_request:validation",
    `Keep the name under ${MAX_ACCOUNT_NAME_LENGTH} characters (this one has ${name.length}).`,
  );
}
