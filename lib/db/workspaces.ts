import "server-only";
import { AppError } from "@/lib/http/errors";
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

/** The caller's workspace; 404 `not_found:workspace` when it is gone. */
export async function getWorkspace({ caller }: { caller: { workspaceId: string } }): Promise<WorkspaceRef> {
  const prisma = await getPrisma();
  const row = await prisma.workspace.findUnique({
    where: { id: caller.workspaceId },
    select: { id: true, slug: true, name: true },
  });
  if (!row) throw new AppError("not_found:workspace", "This workspace doesn't exist any more.");
  return row;
}
