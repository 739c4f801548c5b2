"use client";

import dynamic from "next/dynamic";
import { useEffect } from "react";

/** The editor's place while Monaco or a starting file loads. */
export function EditorLoading() {
  return (
    <div className="h-full w-full animate-pulse bg-zinc-100/60 dark:bg-zinc-900">
      <span className="sr-only">Loading editor…</span>
    </div>
  );
}

// Monaco is big: it loads only here, in the browser, after the page is interactive.
export const CodeView = dynamic(() => import("./monaco-views").then((module) => module.CodeView), {
  ssr: false,
  loading: EditorLoading,
});
export const DiffView = dynamic(() => import("./monaco-views").then((module) => module.DiffView), {
  ssr: false,
  loading: EditorLoading,
});

/** Fetches Monaco while the person reads, so the first file the model writes shows at once. */
export function usePreloadMonaco() {
  useEffect(() => {
    const preload = () => void import("./monaco-views");
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(preload, { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(preload, 500);
    return () => clearTimeout(timer);
  }, []);
}
