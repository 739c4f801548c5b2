"use client";

import { usePathname } from "next/navigation";
import { lazy, Suspense } from "react";
import { AccountPlaceholder } from "../account/account-placeholder";
import { AppLink } from "../ui/app-link";

// Not in every page's first JavaScript: the menu shows once /api/account answers, and the
// review count once /api/reviews does, after hydration anyway.
const AccountMenu = lazy(() => import("../account/account-menu").then((module) => ({ default: module.AccountMenu })));
const ReviewCount = lazy(() => import("./review-count").then((module) => ({ default: module.ReviewCount })));

const NAV_LINK = "text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100";

/** Pages that show nothing of a workspace: a share link's page has its own bar, without the app's header. */
export function showsAppHeader(pathname: string): boolean {
  return pathname !== "/share" && !pathname.startsWith("/share/");
}

/**
 * The app's header: home, sessions, suites, the Needs review queue with its count, the
 * workspace switcher and the account menu.
 * Not on share pages, whose visitor may be anyone: no workspace, other sessions or settings.
 */
export function AppHeader() {
  const pathname = usePathname();
  if (!showsAppHeader(pathname)) return null;
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      {/* Not prefetched (AppLink never prefetches): on a page anyone may open (sign-in, an invitation), a prefetch of a
          workspace page would make the visitor a guest account before they asked for
          one. */}
      {/* On a phone's width the links sit closer and the name is left to the mark (still the link's
          name), so the workspace switcher and the account menu stay on the screen. */}
      <nav className="mx-auto flex h-12 max-w-[1600px] items-center gap-3 px-4 sm:gap-6" aria-label="Main">
        <AppLink href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-4 w-4 rounded-sm bg-gradient-to-br from-violet-500 to-sky-500" />
          <span className="max-sm:sr-only">Interleave</span>
        </AppLink>
        <AppLink href="/" className={NAV_LINK}>
          Sessions
        </AppLink>
        <AppLink href="/suites" className={NAV_LINK}>
          Suites
        </AppLink>
        <Suspense>
          <ReviewCount className={NAV_LINK} />
        </Suspense>
        <Suspense fallback={<AccountPlaceholder />}>
          <AccountMenu />
        </Suspense>
      </nav>
    </header>
  );
}
