"use client";

import { useRef, useState } from "react";

const ITEM =
  "block w-full px-3 py-1.5 text-left text-xs text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800";

/**
 * Taking the project out (docs/api.md): the files at the step in view as a .zip, the
 * branch's patch at that step against its starting files (copied or downloaded), and the
 * session as JSON (re-importable) or the whole branch on screen as Markdown.
 */
export function ExportMenu({
  sessionId,
  stepId,
  leafId,
}: {
  sessionId: string;
  /** the step whose files are in view (zip and patch) */
  stepId: string | null;
  /** the end of the branch on screen (Markdown) */
  leafId: string | null;
}) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const base = `/api/sessions/${sessionId}`;
  const at = stepId ? `step=${encodeURIComponent(stepId)}` : "";

  async function copyPatch() {
    try {
      const response = await fetch(`${base}/patch?${at}`);
      if (!response.ok) throw new Error(String(response.status));
      await navigator.clipboard.writeText(await response.text());
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 2500);
  }

  return (
    <details ref={menu} className="group relative">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
        Export
        <span aria-hidden className="text-[10px]">
          ▾
        </span>
      </summary>
      {/* Choosing an item closes the menu (the download or copy goes on). */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the items inside are links and buttons; this only closes the menu after one is used */}
      <div
        onClick={() => menu.current?.removeAttribute("open")}
        className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      >
        <a className={ITEM} href={`${base}/download?${at}`} download>
          Download .zip of these files
        </a>
        <button type="button" className={ITEM} onClick={() => void copyPatch()}>
          Copy patch
        </button>
        <a className={ITEM} href={`${base}/patch?${at}&download=1`} download>
          Download patch
        </a>
        <hr className="my-1 border-zinc-200 dark:border-zinc-700" />
        <a className={ITEM} href={`${base}/export`} download>
          Export session (JSON)
        </a>
        <a
          className={ITEM}
          href={`${base}/export?format=markdown${leafId ? `&step=${encodeURIComponent(leafId)}` : ""}`}
          download
        >
          Export branch (Markdown)
        </a>
      </div>
      {copied ? (
        <span
          role="status"
          className="absolute right-0 top-full z-30 mt-1 rounded bg-zinc-800 px-2 py-0.5 text-[11px] text-white"
        >
          {copied === "copied" ? "Patch copied" : "Could not copy the patch"}
        </span>
      ) : null}
    </details>
  );
}
