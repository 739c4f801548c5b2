"use client";

import { useState } from "react";
import type { BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { INPUT_CLASS } from "./fields";

/** A settings section's card and heading (workspace, members, tokens, share links). */
export const SECTION =
  "space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900";
export const HEADING = "text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";

/** How a link's or token's state reads as a badge. */
export const STATUS_TONE: Readonly<Record<"active" | "expired" | "revoked", BadgeTone>> = {
  active: "success",
  expired: "warning",
  revoked: "danger",
};

/**
 * A secret shown once (a token, a share URL): a read-only field that selects itself on
 * focus, and Copy, which says when it has copied.
 */
export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const id = `copy-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        readOnly
        value={value}
        className={`${INPUT_CLASS} min-w-0 font-mono text-xs`}
        onFocus={(event) => event.currentTarget.select()}
      />
      <Button
        className="shrink-0"
        onClick={() =>
          void navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
