import "server-only";
import { loadComparison } from "@/lib/db/comparisons";
import { describeModel } from "@/lib/model/registry";
import type { ComparisonResponse } from "@/lib/wire/compare";
import { describeDifferences } from "./stats";

/** Loads a comparison (404 if none in this workspace) with labels and the differences from its first model. */
export async function getComparisonView({
  workspaceId,
  id,
}: {
  workspaceId: string;
  id: string;
}): Promise<ComparisonResponse> {
  const comparison = await loadComparison({ workspaceId, id, isPriced: (modelId) => describeModel(modelId).priced });
  const entries = comparison.entries.map((entry) => {
    const { label, group } = describeModel(entry.session.modelId);
    return { ...entry, label, group };
  });
  return { comparison: { ...comparison, entries }, differences: describeDifferences(entries) };
}
