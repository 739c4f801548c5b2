import type { ReviewVerdict } from "@/lib/wire/reviews";
import type { BadgeTone } from "../ui/badge";

/** How a branch review's verdict reads on its badge. */
export const VERDICT_LABELS: Record<ReviewVerdict, { label: string; tone: BadgeTone }> = {
  requested: { label: "Review requested", tone: "info" },
  approved: { label: "Approved", tone: "success" },
  changes_requested: { label: "Changes requested", tone: "warning" },
};
