import { AppLink } from "../ui/app-link";

/**
 * What a member's session page shows in place of its header once the session is deleted
 * while the page is open (by anyone, through any instance: the stream's `ended` event, or a
 * refused reconnect that finds it gone): that it is gone, that what is on screen stays (read
 * only: the page drops every control, SessionPage), and the way home (AppLink, which every
 * page's first JavaScript holds for the header, rather than next/link; this notice's own
 * code loads when it is first shown). `title`: the session's as the page last knew it.
 */
export function SessionDeleted({ title }: { title: string }) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
    >
      <div className="min-w-0 flex-1">
        <h1 className="text-base font-semibold">This session was deleted</h1>
        <p className="text-red-800/90 dark:text-red-200/90">
          <span className="font-medium">{title}</span> was deleted while this page was open, so it no longer updates.
          What is on screen stays, read-only, until you leave this page.
        </p>
      </div>
      <AppLink
        href="/"
        className="shrink-0 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-900 hover:bg-red-100 dark:border-red-800 dark:bg-red-950 dark:text-red-100 dark:hover:bg-red-900"
      >
        Back to sessions
      </AppLink>
    </div>
  );
}
