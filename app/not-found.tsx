import { NotFoundPage } from "@/components/ui/not-found-page";

/** Any address without a page of its own for what is missing (a mistyped path, a broken %-escape). */
export default function NotFound() {
  return <NotFoundPage message="There is nothing at this address." back={{ href: "/", label: "Back to sessions" }} />;
}
