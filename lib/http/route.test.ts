import { expect, test, vi } from "vitest";
import { z } from "zod";
import { readJson, route } from "./route";

/**
 * A tab closed while its request's body is on the way (tried: closing session tabs mid-run,
 * the page's presence POST cut off): reading the body failed with Node's "aborted"
 * (ECONNRESET), which the route answered as a fault of ours, a 500 logged with its stack.
 */
test("a body the client stops sending is a 400 bad_request:body, not a logged 500", async () => {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const handler = route(async (request: Request) => {
      await readJson(request, z.object({}).passthrough());
      return new Response(null, { status: 204 });
    });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"viewerId":"'));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const request = new Request("http://localhost/api/sessions/s1/presence", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const response = await handler(request, undefined);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request:body");
    expect(errors).not.toHaveBeenCalled();
  } finally {
    errors.mockRestore();
  }
});
