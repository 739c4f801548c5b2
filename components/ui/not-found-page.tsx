import { AppLink } from "./app-link";

/**
 * A not-found page's body (status 404): the heading "Not found", what is missing in a sentence,
 * and a link back to where such things are listed. One per kind of address (app/not-found.tsx
 * and each dynamic segment's not-found.tsx), so an unknown suite run does not say "session".
 */
export function NotFoundPage({ message, back }: { message: string; back: { href: string; label: string } }) {
  return (
    <div className="mx-auto max-w-md space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{message}</p>
      <AppLink href={back.href} className="text-sm text-violet-700 underline dark:text-violet-300">
        {back.label}
      </AppLink>
    </div>
  );
}
