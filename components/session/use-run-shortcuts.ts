"use client";

import { useEffect } from "react";

/**
 * The session's keyboard shortcuts, outside text fields and open dialogs: ⌘/Ctrl+Enter runs
 * from the end of the branch, Escape stops the run in progress (`onStop` does nothing when
 * none is). None for a share link's viewer (`enabled` false). In a dialog (Share, a
 * confirmation) Escape closes the dialog and nothing else: it must not also stop the run.
 */
export function useRunShortcuts(onRun: () => void, onStop: () => unknown, { enabled = true } = {}) {
  useEffect(() => {
    if (!enabled) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented) return;
      const target = event.target as Element | null;
      const inField = target?.closest?.("input, textarea, select, [contenteditable='true']");
      if (inField || target?.closest?.("dialog, [role='dialog']") || document.querySelector("dialog[open]")) return;
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        onRun();
      } else if (event.key === "Escape") {
        onStop();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onRun, onStop, enabled]);
}
