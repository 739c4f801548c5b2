import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { nodeHttpTransport, readBodyText } from "./transport";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that answers the first request on each connection and drops the connection on any later one. */
async function serverDroppingReusedConnections(): Promise<{
  url: string;
  requests: () => number;
  connections: () => number;
}> {
  let requests = 0;
  let connections = 0;
  const seen = new WeakSet<object>();
  server = createServer((request, response) => {
    requests++;
    if (seen.has(request.socket)) {
      request.socket.destroy();
      return;
    }
    seen.add(request.socket);
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests: () => requests, connections: () => connections };
}

const post = (url: string) =>
  nodeHttpTransport({
    url,
    headers: { "content-type": "text/plain" },
    body: "hi",
    signal: new AbortController().signal,
  });

test("a kept-alive connection the server dropped is retried once on a new one", async () => {
  const upstream = await serverDroppingReusedConnections();
  const first = await post(upstream.url);
  expect(await readBodyText(first.body)).toBe("ok");
  const second = await post(upstream.url);
  expect(second.status).toBe(200);
  expect(await readBodyText(second.body)).toBe("ok");
  expect(upstream.requests()).toBe(3);
  expect(upstream.connections()).toBe(2);
});

test("a new connection that fails is not retried", async () => {
  server = createServer((request) => request.socket.destroy());
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await expect(post(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: "ECONNRESET" });
});
