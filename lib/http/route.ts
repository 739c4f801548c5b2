import "server-only";
import type { z } from "zod";
import { AppError } from "./errors";

/**
 * Wraps a route handler: AppErrors become their JSON response; anything else is logged
 * and answered with a generic 500 (database errors are never echoed to the client).
 */
export function route<Ctx>(handler: (request: Request, context: Ctx) => Promise<Response>) {
  return async (request: Request, context: Ctx): Promise<Response> => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof AppError) return error.toResponse();
      console.error(`[${request.method} ${new URL(request.url).pathname}]`, error);
      return new AppError("internal:server", "Something went wrong on our side. Please try again.").toResponse();
    }
  };
}

/** Parse a JSON body against a schema; malformed JSON or an invalid shape → 400 with a readable message. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    const text = await request.text();
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request:json", "The request body is not valid JSON.");
  }
  return parseWith(schema, body);
}

/** Validate a request's fields (from JSON or a form) against a schema; an invalid shape → 400 with a readable message. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    // Our own messages are sentences that name what is wrong; zod's type errors need the field.
    const field = issue?.code === "invalid_type" && issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new AppError("bad_request:validation", `${field}${issue?.message ?? "invalid request"}`, result.error.issues);
  }
  return result.data;
}
