import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CompareView } from "@/components/compare/compare-view";
import { getComparisonView } from "@/lib/compare/load";
import { isAppError } from "@/lib/http/errors";
import { workspacePageCaller } from "@/lib/http/page-caller";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  const caller = await workspacePageCaller("sessions:read");
  try {
    return await getComparisonView({ workspaceId: caller.workspaceId, id });
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const { comparison } = await load(id);
  return { title: `Compare: ${comparison.entries[0]?.session.title ?? "models"}` };
}

export default async function ComparePage({ params }: Props) {
  const { id } = await params;
  const { comparison } = await load(id);
  return <CompareView initial={comparison} />;
}
