import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { addFile, addZip, isZipName, newIntake, type ProjectIntake, type ProjectLimits } from "./intake";

/** The project limits in force (PROJECT_MAX_BYTES, PROJECT_MAX_FILES). */
export function projectLimits(): ProjectLimits {
  const { PROJECT_MAX_BYTES, PROJECT_MAX_FILES } = env();
  return { maxBytes: PROJECT_MAX_BYTES, maxFiles: PROJECT_MAX_FILES };
}

/**
 * The most a new-session upload may weigh: twice the project limit (binary files in an
 * uploaded folder are sent and then skipped) plus room for the form itself.
 */
export function uploadLimit(limits: ProjectLimits): number {
  return limits.maxBytes * 2 + 1024 * 1024;
}

/** A body larger than the upload limit → 413 before it is read. */
export function assertUploadSize(request: Request, limits: ProjectLimits): void {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > uploadLimit(limits)) {
    throw new AppError(
      "payload_too_large:project",
      `The upload is larger than ${Math.round(uploadLimit(limits) / (1024 * 1024))} MB. Leave out generated, vendored or binary files. Nothing was imported.`,
    );
  }
}

/** The request's multipart form; 400 `bad_request:form` when it can't be read as one. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new AppError("bad_request:form", "The upload is not a readable multipart/form-data body.");
  }
}

/** A text field of the form, or undefined when absent (a file in its place is a 400). */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  if (typeof value !== "string") throw new AppError("bad_request:form", `"${name}" must be text, not a file.`);
  return value;
}

/**
 * The starting files of a new-session form (docs/api.md): each `file` part with its
 * project path in the `path` part at the same position (a file's own name is not trusted
 * to keep folders), and `.zip` parts expanded. Limits and refusals as in intake.ts.
 */
export async function projectFromForm(form: FormData, limits: ProjectLimits): Promise<ProjectIntake> {
  const files = form.getAll("file");
  const paths = form.getAll("path");
  if (files.length !== paths.length) {
    throw new AppError(
      "bad_request:form",
      `Each "file" part needs a "path" part in the same position: got ${files.length} files and ${paths.length} paths.`,
    );
  }
  const intake = newIntake(limits);
  for (const [i, file] of files.entries()) {
    const path = paths[i];
    if (typeof file === "string" || typeof path !== "string") {
      throw new AppError("bad_request:form", `"file" parts must be files and "path" parts text (part ${i + 1}).`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (isZipName(path)) addZip(intake, bytes);
    else addFile(intake, path, bytes);
  }
  return intake;
}
