import type { Metadata } from "next";

export const metadata: Metadata = { title: "Link no longer works", robots: { index: false, follow: false } };

/** An unknown, revoked or expired share link (status 404): no workspace, no way in, just what happened. */
export default function ShareNotFound() {
  return (
    <div className="mx-auto flex max-w-md flex-1 flex-col justify-center space-y-3 px-4 py-16 text-center">
      <span
        aria-hidden
        className="mx-auto inline-block h-6 w-6 rounded bg-gradient-to-br from-violet-500 to-sky-500 opacity-60"
      />
      <h1 className="text-xl font-semibold">This link no longer works</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        It was revoked or replaced by whoever shared it, or it has expired. Ask them for a new link.
      </p>
    </div>
  );
}
