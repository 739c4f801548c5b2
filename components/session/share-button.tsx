"use client";

import { lazy, Suspense, useState } from "react";
import { Button } from "../ui/button";

// The dialog loads when first opened: most visits never share.
const ShareDialog = lazy(() => import("./share-dialog"));

/**
 * "Share" on a session, offered only to callers who may manage links: opens the Share
 * dialog (./share-dialog.tsx), which shares the branch on screen (`leafId`) or the whole
 * tree. The dialog is mounted while open, so each opening starts afresh.
 */
export function ShareButton({ sessionId, leafId }: { sessionId: string; leafId: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} aria-haspopup="dialog">
        <svg aria-hidden viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-none stroke-current stroke-[1.6]">
          <path d="M8 10V2M5 5l3-3 3 3M3 9v4.5h10V9" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Share
      </Button>
      {open ? (
        <Suspense>
          <ShareDialog sessionId={sessionId} leafId={leafId} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
