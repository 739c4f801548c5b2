import type { HTMLAttributes } from "react";

/** Colours for a badge's meaning; each pair holds WCAG AA contrast in light and dark mode. */
const TONES = {
  neutral: "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400",
  progress: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  danger: "bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300",
  info: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  success: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  /** solid, to stand out over content (the editor's "writing…") */
  accent: "bg-violet-700 text-white",
} as const;

export type BadgeTone = keyof typeof TONES;

/** A short status label: a step's "edited", a result's "failed", a test count. */
export function Badge({ tone, className = "", ...props }: HTMLAttributes<HTMLSpanElement> & { tone: BadgeTone }) {
  return <span className={`rounded px-1.5 py-px text-[11px] font-medium ${TONES[tone]} ${className}`} {...props} />;
}
