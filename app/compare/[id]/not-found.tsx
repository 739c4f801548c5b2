import { NotFoundPage } from "@/components/ui/not-found-page";

/** A comparison that doesn't exist, was deleted, or is another workspace's. */
export default function ComparisonNotFound() {
  return (
    <NotFoundPage
      message="This comparison doesn't exist, or its sessions were deleted."
      back={{ href: "/", label: "Back to sessions" }}
    />
  );
}
