import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { VerifyEmailNotice } from "@/components/account/verify-email-notice";
import { AppHeader } from "@/components/app/app-header";
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
        <AppHeader />
        <VerifyEmailNotice />
        <main className="flex flex-1 flex-col">{children}</main>
      </body>
    </html>
  );
}
