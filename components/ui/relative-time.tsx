"use client";

import { useEffect, useState } from "react";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/** Renders the absolute time on the server and the relative one after hydration (no mismatch). */
export function RelativeTime({ iso }: { iso: string }) {
  const [label, setLabel] = useState<string | null>(null);
  useEffect(() => {
    setLabel(formatRelative(iso, Date.now()));
    const timer = setInterval(() => setLabel(formatRelative(iso, Date.now())), 30_000);
    return () => clearInterval(timer);
  }, [iso]);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString("en-US")}>
      {label ?? new Date(iso).toISOString().slice(0, 16).replace("T", " ")}
    </time>
  );
}
