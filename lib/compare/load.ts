import "server-only";
import { type Comparison, type ComparisonEntry, loadComparison } from "@/lib/db/comparisons";
import { describeModel } from "@/lib/model/registry";
import { type Difference, describeDifferences } from "./stats";

/** A comparison as the API and the page show it: each entry with its model's label and provider group. */
export interface ComparisonView extends Omit<Comparison, "entries"> {
  entries: (ComparisonEntry & { label: string; group: string })[];
}

/** Loads a comparison (404 if none in this workspace) with labels and the differences from its first model. */
export async function getComparisonView({
  workspaceId,
  id,
}: {
  workspaceId: string;
  id: string;
}): Promise<{ comparison: ComparisonView; differences: Difference[] }> {
  const comparison = await loadComparison({ workspaceId, id, isPriced: (modelId) => describeModel(modelId).priced });
  const entries = comparison.entries.map((entry) => {
    const { label, group } = describeModel(entry.session.modelId);
    return { ...entry, label, group };
  });
  return { comparison: { ...comparison, entries }, differences: describeDifferences(entries) };
}
