import "server-only";
import { processState } from "@/lib/process-state";
import { DEFAULT_WORKSPACE_SLUG, getPrisma } from "./client";

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

/**
 * The workspace a request acts in. Until accounts arrive every request acts in the
 * default local workspace (created with the database, never deleted), so it is looked up
 * once per process; handlers already scope every query by it.
 */
export function getCurrentWorkspace(): Promise<WorkspaceRef> {
  const state = processState();
  state.defaultWorkspace ??= getPrisma()
    .then((prisma) =>
      prisma.workspace.findUniqueOrThrow({
        where: { slug: DEFAULT_WORKSPACE_SLUG },
        select: { id: true, slug: true, name: true },
      }),
    )
    .catch((error: unknown) => {
      state.defaultWorkspace = undefined;
      throw error;
    });
  return state.defaultWorkspace;
}
