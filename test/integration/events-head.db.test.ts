import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import * as eventsRoute from "@/app/api/sessions/[id]/events/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { getPrisma } from "@/lib/db/client";
import { metrics } from "@/lib/metrics";
import { callRoute } from "../api";
import { testUserCookie } from "../auth";

/**
 * HEAD on a session's event stream. Next.js answers a HEAD with the GET handler's headers and
 * never reads the body (send-response.ts ends the response instead), and the response then
 * finishes normally, so request.signal never aborts. A stream opened for it was never read nor
 * stopped: tried on `next start`, each `curl -I …/events?viewer=<uuid>` left a stream open for
 * good (sseConnections up by one), its tab listed in the session's presence to everyone, renewed
 * by the heartbeat, and the bus followed for it.
 */
test("HEAD answers the stream's headers and opens no stream: no viewer, no connection left behind", async () => {
  const created = await callRoute(sessionsRoute.POST, {
    method: "POST",
    body: { task: "Write a sum function", modelId: "offline-demo" },
  });
  const sessionId = created.json.session.id as string;
  const before = metrics.sseConnections;
  const viewerId = randomUUID();
  const request = new Request(`http://localhost/api/sessions/${sessionId}/events?viewer=${viewerId}`, {
    method: "HEAD",
    headers: { cookie: await testUserCookie() },
  });
  // as Next.js does for HEAD: the GET handler, its status and headers, the body never read
  const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: sessionId }) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(metrics.sseConnections).toBe(before);
  expect(await (await getPrisma()).viewer.count({ where: { sessionId } })).toBe(0);
});
