import "server-only";
import { DEFAULT_WORKSPACE_SLUG, getPrisma } from "./client";

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

const globalForWorkspace = globalThis as unknown as { defaultWorkspace?: Promise<WorkspaceRef> };

/**
 * The workspace a request acts in. Until accounts arrive every request acts in the
 * default local workspace (created with the database, never deleted), so it is looked up
 * once per process; handlers already scope every query by it.
 */
export function getCurrentWorkspace(): Promise<WorkspaceRef> {
  globalForWorkspace.defaultWorkspace ??= getPrisma()
    .then((prisma) =>
      prisma.workspace.findUniqueOrThrow({
        where: { slug: DEFAULT_WORKSPACE_SLUG },
        select: { id: true, slug: true, name: true },
      }),
    )
    .catch((error: unknown) => {
      globalForWorkspace.defaultWorkspace = undefined;
      throw error;
    });
  return globalForWorkspace.defaultWorkspace;
}
