import { NotFoundPage } from "@/components/ui/not-found-page";

/** A suite run that doesn't exist, or is another workspace's. */
export default function SuiteRunNotFound() {
  return <NotFoundPage message="This suite run doesn't exist." back={{ href: "/suites", label: "Back to suites" }} />;
}
