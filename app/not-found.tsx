import { AppLink } from "@/components/ui/app-link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">This session doesn't exist, or it was deleted.</p>
      <AppLink href="/" className="text-sm text-violet-700 underline dark:text-violet-300">
        Back to sessions
      </AppLink>
    </div>
  );
}
