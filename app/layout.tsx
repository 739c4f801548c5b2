import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Interleave", template: "%s · Interleave" },
  description: "Watch MiniMax-M2 think and code, step by step. Edit any step and regenerate from there.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: Next.js puts the request's CSP nonce (proxy.ts) on
  // its scripts, and a page prerendered at build time would have none (its scripts blocked).
  await connection();
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
          {/* Not prefetched: on a page anyone may open (a share link, sign-in), a prefetch of a
              workspace page would make the visitor a guest account before they asked for one. */}
          <nav className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4" aria-label="Main">
            <Link href="/" prefetch={false} className="flex items-center gap-2 font-semibold tracking-tight">
              <span
                aria-hidden
                className="inline-block h-4 w-4 rounded-sm bg-gradient-to-br from-violet-500 to-sky-500"
              />
              Interleave
            </Link>
            <Link
              href="/"
              prefetch={false}
              className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            >
              Sessions
            </Link>
            <Link
              href="/suites"
              prefetch={false}
              className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            >
              Suites
            </Link>
          </nav>
        </header>
        <main className="flex flex-1 flex-col">{children}</main>
      </body>
    </html>
  );
}
