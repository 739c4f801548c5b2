"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { api } from "@/lib/wire/api";
import { AppLink } from "../ui/app-link";
import { onReviewChange } from "./review-signal";

/** How often the count is fetched again while the tab is in view. */
const REFRESH_MS = 60_000;
/** Announcements within this window are one fetch. */
const SETTLE_MS = 400;

/**
 * "Review" in the header, with how many things wait in the workspace's Needs review
 * queue. Fetched again on every page change, when the window regains focus or the tab
 * becomes visible, when a page announces a change (review-signal.ts: a comment, a
 * review, an approval), and every minute while the tab is visible — one small GET,
 * never while hidden. Nothing is shown to a visitor who is not signed in (the queue
 * answers 401). The link's name, "Review 3 waiting", holds its visible text, as a
 * control's name must (WCAG 2.5.3).
 */
export function ReviewCount({ className }: { className: string }) {
  const pathname = usePathname();
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    if (pathname.startsWith("/sign-") || pathname.startsWith("/invite/")) return;
    let current = true;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const refresh = () =>
      api.reviewQueue().then(
        (queue) => current && setTotal(queue.counts.total),
        () => current && setTotal(null),
      );
    const soon = () => {
      clearTimeout(settle);
      settle = setTimeout(refresh, SETTLE_MS);
    };
    const whenVisible = () => {
      if (document.visibilityState === "visible") soon();
    };
    void refresh();
    const interval = setInterval(whenVisible, REFRESH_MS);
    window.addEventListener("focus", soon);
    document.addEventListener("visibilitychange", whenVisible);
    const unsubscribe = onReviewChange(soon);
    return () => {
      current = false;
      clearTimeout(settle);
      clearInterval(interval);
      window.removeEventListener("focus", soon);
      document.removeEventListener("visibilitychange", whenVisible);
      unsubscribe();
    };
  }, [pathname]);
  if (total === null) return null;
  return (
    <AppLink href="/review" className={`${className} inline-flex items-center gap-1.5`}>
      Review
      {total > 0 ? (
        <>
          {" "}
          <span className="rounded-full bg-violet-700 px-1.5 text-[11px] font-semibold text-white tabular-nums">
            {total}
          </span>
          <span className="sr-only"> waiting</span>
        </>
      ) : null}
    </AppLink>
  );
}
