import { NotFoundPage } from "@/components/ui/not-found-page";

/** A session that doesn't exist, was deleted, or is another workspace's. */
export default function SessionNotFound() {
  return (
    <NotFoundPage
      message="This session doesn't exist, or it was deleted."
      back={{ href: "/", label: "Back to sessions" }}
    />
  );
}
