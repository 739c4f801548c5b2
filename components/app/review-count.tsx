"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { api } from "@/lib/wire/client";

/**
 * "Review" in the header, with how many things wait in the workspace's Needs review
 * queue (refreshed on every page change). The link's name, "Review 3 waiting", holds its
 * visible text, as a control's name must (WCAG 2.5.3). Nothing is shown to a visitor who
 * is not signed in (the queue answers 401).
 */
export function ReviewCount({ className }: { className: string }) {
  const pathname = usePathname();
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    let current = true;
    if (pathname.startsWith("/sign-") || pathname.startsWith("/invite/")) return;
    api.reviewQueue().then(
      (queue) => current && setTotal(queue.counts.total),
      () => current && setTotal(null),
    );
    return () => {
      current = false;
    };
  }, [pathname]);
  if (total === null) return null;
  return (
    <Link href="/review" prefetch={false} className={`${className} inline-flex items-center gap-1.5`}>
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
    </Link>
  );
}
