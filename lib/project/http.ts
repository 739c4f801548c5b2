import "server-only";
import { AppError } from "@/lib/http/errors";
import { queryId, quote } from "@/lib/http/input";

/**
 * `?step=` of a download URL: the step whose files to use, or undefined for the branch on
 * screen; 400 `bad_request:id` when it can't be a step id (a well-formed unknown one: 404).
 */
export function stepParam(request: Request): string | undefined {
  return queryId(request, "step") ?? undefined;
}

/** A file name made from a session's title: lowercase words joined by dashes. */
export function fileNameFor(title: string, extension: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "session"}.${extension}`;
}

/** A response the browser saves as `fileName` (or shows, when `inline`). */
export function fileResponse(
  body: BodyInit,
  { type, fileName, inline = false }: { type: string; fileName: string; inline?: boolean },
): Response {
  return new Response(body, {
    headers: {
      "content-type": type,
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}

/** `?format=` of the export URL. */
export function exportFormat(request: Request): "json" | "markdown" {
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format === "json" || format === "markdown") return format;
  throw new AppError("bad_request:format", `Unknown export format ${quote(format)}: use json or markdown.`);
}
