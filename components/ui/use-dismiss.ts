"use client";

import { type RefObject, useEffect } from "react";

/**
 * While `open`, closes a popover (calls `onDismiss`) on Escape or on a press outside
 * `root`. Escape is caught before anything below the popover sees it.
 */
export function useDismiss(root: RefObject<HTMLElement | null>, open: boolean, onDismiss: () => void): void {
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        event.stopPropagation();
        onDismiss();
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close, true);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close, true);
    };
  }, [root, open, onDismiss]);
}
