import "server-only";
import { AppError } from "@/lib/http/errors";
import { getPrisma } from "./client";

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
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
