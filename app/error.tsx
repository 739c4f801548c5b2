"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-md space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The page could not be shown{error.digest ? ` (reference ${error.digest})` : ""}. Your data is safe.
      </p>
      <button type="button" onClick={reset} className="text-sm text-violet-700 underline dark:text-violet-300">
        Try again
      </button>
    </div>
  );
}
