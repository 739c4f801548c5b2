import "server-only";
import { LAST_USED_INTERVAL_MS } from "@/lib/auth/tokens";
import { getPrisma } from "./client";

/** The credentials that keep a last-used time: personal API tokens and share links. */
export type CredentialTable = "apiToken" | "shareLink";

/**
 * Records that a credential of the workspace was used at `now` (a Date), unless a use
 * was recorded less than LAST_USED_INTERVAL_MS (one minute) before: one conditional
 * UPDATE … WHERE id AND workspaceId AND (lastUsedAt IS NULL OR lastUsedAt <= now − 1 min),
 * so every instance together writes a credential's row at most once a minute, however
 * many requests or streams use it. Resolves to whether this call wrote; never rejects
 * (a failed write is logged: a use must not fail the request it came with).
 */
export async function recordCredentialUse({
  table,
  id,
  workspaceId,
  now = new Date(),
}: {
  table: CredentialTable;
  id: string;
  workspaceId: string;
  now?: Date;
}): Promise<boolean> {
  const where = {
    id,
    workspaceId,
    OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_INTERVAL_MS) } }],
  };
  const data = { lastUsedAt: now };
  try {
    const prisma = await getPrisma();
    const { count } =
      table === "apiToken"
        ? await prisma.apiToken.updateMany({ where, data })
        : await prisma.shareLink.updateMany({ where, data });
    return count > 0;
  } catch (error) {
    console.error(`[${table}] could not record a use:`, error);
    return false;
  }
}
