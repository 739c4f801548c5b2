/**
 * How long a share link or API token lasts, as the forms offer it: never, or a number of
 * days from now (the API's `expiresInDays`). Pure, so the choice → body mapping is unit-tested.
 */

/** The choices the forms offer; `value` is what the select holds ("" for never). */
export const EXPIRY_CHOICES: readonly { value: string; label: string }[] = [
  { value: "", label: "Never" },
  { value: "1", label: "In 1 day" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
];

/** A select's value → `expiresInDays` for the API: null for never (or anything that is not a positive number). */
export function expiryDays(value: string): number | null {
  const days = Number(value);
  return value !== "" && Number.isFinite(days) && days > 0 ? days : null;
}
