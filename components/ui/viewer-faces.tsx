import type { Viewer } from "@/lib/wire/presence";

/** Faces shown before "+N". */
const MAX_FACES = 4;

/** Up to two initials of a name ("Ana Lima" → "AL", "ben" → "B"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : words.slice(0, 1);
  return letters.map((word) => [...(word ?? "")][0]?.toUpperCase() ?? "").join("") || "?";
}

const TONES = [
  "bg-sky-600 text-white",
  "bg-emerald-700 text-white",
  "bg-amber-600 text-white",
  "bg-rose-600 text-white",
  "bg-indigo-600 text-white",
  "bg-teal-700 text-white",
];

/** A colour per person (the same in every tab and on every screen), grey for a link's visitor. */
export function toneOf(viewer: Pick<Viewer, "userId" | "kind">): string {
  if (viewer.kind === "link" || !viewer.userId) return "bg-zinc-500 text-white";
  let hash = 0;
  for (const char of viewer.userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return TONES[hash % TONES.length] as string;
}

function Face({ viewer, size = "md" }: { viewer: Viewer; size?: "sm" | "md" }) {
  const box = size === "sm" ? "h-4 w-4 text-[8px]" : "h-5 w-5 text-[9px]";
  return (
    <span
      aria-hidden
      className={`inline-flex ${box} items-center justify-center rounded-full font-semibold ring-2 ring-white dark:ring-zinc-950 ${toneOf(viewer)}`}
    >
      {initialsOf(viewer.name)}
    </span>
  );
}

/** Who else has the session open, as faces with their names on hover (and for screen readers). */
export function PresenceBar({ others }: { others: readonly Viewer[] }) {
  if (others.length === 0) return null;
  const shown = others.slice(0, MAX_FACES);
  const names = [...new Set(others.map((viewer) => viewer.name))];
  const label = `Also viewing: ${names.join(", ")}`;
  return (
    <span role="img" aria-label={label} title={label} className="inline-flex items-center -space-x-1">
      {shown.map((viewer) => (
        <Face key={viewer.viewerId} viewer={viewer} />
      ))}
      {others.length > MAX_FACES ? (
        <span className="pl-2 text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400">
          +{others.length - MAX_FACES}
        </span>
      ) : null}
    </span>
  );
}

/** On a step: the others who have it selected. */
export function StepWatchers({ viewers }: { viewers: readonly Viewer[] }) {
  const label = `Selected by ${[...new Set(viewers.map((viewer) => viewer.name))].join(", ")}`;
  return (
    <span role="img" aria-label={label} title={label} className="inline-flex items-center -space-x-1">
      {viewers.slice(0, 3).map((viewer) => (
        <Face key={viewer.viewerId} viewer={viewer} size="sm" />
      ))}
    </span>
  );
}
