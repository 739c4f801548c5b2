import type { CommentPerson } from "@/lib/wire/comments";

/**
 * @mentions in a comment's text (issue 12 item 1): `@` followed by a workspace member's
 * name (names may hold spaces: "@Ada Lovelace"), matched case-insensitively, longest name
 * first, and ending at a word boundary ("@Adam" is not "@Ada"). A name several members
 * share mentions all of them. Pure: the server stores what it finds; the browser offers
 * the same names as it autocompletes.
 */
export function findMentions(body: string, members: readonly CommentPerson[]): string[] {
  const byLength = [...members].filter((member) => member.name.trim() !== "");
  byLength.sort((a, b) => b.name.length - a.name.length);
  const found = new Set<string>();
  const lower = body.toLowerCase();
  for (let at = lower.indexOf("@"); at >= 0; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && /[\p{L}\p{N}_]/u.test(lower[at - 1] ?? "")) continue; // an email address, not a mention
    let matched: string | null = null;
    for (const member of byLength) {
      const name = member.name.trim().toLowerCase();
      if (matched !== null && name !== matched) continue;
      if (!lower.startsWith(name, at + 1)) continue;
      const next = lower[at + 1 + name.length] ?? "";
      if (/[\p{L}\p{N}_]/u.test(next)) continue;
      matched = name;
      found.add(member.userId);
    }
  }
  return [...found];
}

/**
 * The `@` word being typed at `caret` (for autocomplete): its start and what follows the
 * `@` so far; null when the caret is not in one.
 */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1] ?? ""))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /\n/.test(query)) return null;
  return { start: at, query };
}

/** Members whose name starts with `query` (case-insensitive), at most `limit`. */
export function mentionCandidates(members: readonly CommentPerson[], query: string, limit = 6): CommentPerson[] {
  const wanted = query.toLowerCase();
  return members.filter((member) => member.name.toLowerCase().startsWith(wanted)).slice(0, limit);
}
