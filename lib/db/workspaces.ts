import "server-only";
import { DEFAULT_WORKSPACE_SLUG, getPrisma } from "./client";

/**
 * The workspace a request acts in. Until accounts arrive every request acts in the
 * default local workspace; handlers already scope every query by it.
 */
export async function getCurrentWorkspace(): Promise<{ id: string; slug: string; name: string }> {
  const prisma = await getPrisma();
  return prisma.workspace.findUniqueOrThrow({
    where: { slug: DEFAULT_WORKSPACE_SLUG },
    select: { id: true, slug: true, name: true },
  });
}
