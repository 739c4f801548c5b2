import { createServer, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type AddressInfo, connect } from "node:net";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { PIPE_KEY } from "@/lib/http/node-pipe";
import { processState } from "@/lib/process-state";
import type { SessionSnapshot } from "@/lib/wire/events";
import { SessionBus } from "./bus";
import { chunkWriter, closeEventStreams, openSessionStream } from "./sse";

const require = createRequire(import.meta.url);

const delta = (text: string) => ({ type: "step.delta" as const, stepId: "s", offset: 0, text });

/** Everything a stream sends until it closes, as text (rejects if it is still open after 5 s). */
async function readToEnd(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stream.getReader();
  const timeout = setTimeout(() => void reader.cancel(), 5000);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value);
    }
  } finally {
    clearTimeout(timeout);
  }
}

/** A stream of session s1 on `bus`, with an empty snapshot. */
const open = (bus: SessionBus, onClose?: () => void) =>
  openSessionStream({
    bus,
    sessionId: "s1",
    after: null,
    signal: new AbortController().signal,
    loadSnapshot: async () => ({}) as Omit<SessionSnapshot, "type" | "seq">,
    onClose,
  });

/**
 * A graceful stop (lib/agent/shutdown.ts) closes the event streams once the runs have ended:
 * the events published just before (a run's end, in the same tick) still go out, then the
 * stream ends, and one opened afterwards (a viewer reconnecting to the stopping server) ends
 * at once. Before, the process exited with them unsent and the streams cut.
 */
test("closeEventStreams sends what a stream holds, then closes it; a new stream closes at once", async () => {
  const bus = new SessionBus();
  const stream = open(bus);
  const sent = readToEnd(stream);
  await new Promise((resolve) => setTimeout(resolve, 50)); // past the snapshot
  bus.publish("s1", delta("the run's last words"));
  closeEventStreams(); // same tick: the event is still in the stream's buffer
  const text = await sent;
  expect(text).toContain('"type":"snapshot"');
  expect(text).toContain("the run's last words");

  expect(await readToEnd(open(bus))).toBe("retry: 1000\n\n");
});

/** An HTTP server whose every response is `respond(res)`; resolves to its URL and a way to close it. */
async function serve(respond: (res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => respond(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads `response`'s body until `done(text so far)` holds; resolves to that text. */
async function readUntil(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const { done: ended, value } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("on `next start` the stream writes itself to the Node response (lib/http/node-pipe.ts)", () => {
  // a graceful stop earlier in this file closed this process's streams for good
  beforeEach(() => {
    processState().eventStreamsClosing = undefined;
  });

  test("Next.js's installed response pipe hands the stream its response: events go out, no web stream is read", async () => {
    const bus = new SessionBus();
    const stream = open(bus);
    const { pipeToNodeResponse } = require("next/dist/server/pipe-readable.js") as {
      pipeToNodeResponse: (readable: ReadableStream, res: ServerResponse) => Promise<void>;
    };
    let piped: Promise<void> = Promise.resolve();
    const server = await serve((res) => {
      res.setHeader("content-type", "text/event-stream");
      piped = pipeToNodeResponse(stream, res);
    });
    try {
      const response = await fetch(server.url);
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      setTimeout(() => bus.publish("s1", delta("straight to the socket")), 50);
      const text = await readUntil(response, (sofar) => sofar.includes("straight to the socket"));
      expect(text).toMatch(/^retry: 1000\n\n/);
      expect(text).toContain('"type":"snapshot"');
      expect(stream.locked).toBe(false); // the web-stream pipe would have locked it
      await piped; // resolves once the viewer has gone
    } finally {
      await server.close();
    }
  });

  test("the viewer hanging up stops the stream (onClose, no more followers); closeEventStreams ends the response", async () => {
    const bus = new SessionBus();
    let closes = 0;
    const pipeOf = (stream: ReadableStream) =>
      (stream as unknown as Record<symbol, (res: ServerResponse) => Promise<void>>)[Symbol.for(PIPE_KEY)] as (
        res: ServerResponse,
      ) => Promise<void>;
    const openCounted = () =>
      open(bus, () => {
        closes += 1;
      });
    const piped: Promise<void>[] = [];
    const server = await serve((res) => piped.push(pipeOf(openCounted())(res)));
    try {
      const first = await fetch(server.url);
      await readUntil(first, (text) => text.includes('"type":"snapshot"'));
      await piped[0];
      expect(closes).toBe(1);
      expect(bus.snapshotPoint("s1").seq).toBe(0);
      bus.publish("s1", delta("nobody follows"));

      const second = await fetch(server.url);
      const ended = readUntil(second, () => false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      closeEventStreams();
      expect(await ended).toContain('"type":"snapshot"');
      await piped[1];
      expect(closes).toBe(2);
    } finally {
      await server.close();
    }
  });

  /**
   * A viewer that stops reading (a stalled proxy, a suspended laptop whose connection stays up)
   * while a run goes on: each flush was one res.write whatever it returned, so everything the
   * session published piled up in that response's buffer for as long as the connection lived.
   */
  test("a viewer that stops reading is cut off once it is far behind, not buffered for without end", async () => {
    const bus = new SessionBus();
    let closed = false;
    let response: ServerResponse | null = null;
    const stream = open(bus, () => {
      closed = true;
    });
    const pipe = (stream as unknown as Record<symbol, (res: ServerResponse) => Promise<void>>)[Symbol.for(PIPE_KEY)];
    const server = await serve((res) => {
      response = res;
      void pipe?.(res);
    });
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    try {
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      socket.pause(); // reads nothing from here on
      await vi.waitFor(() => expect(response).not.toBeNull());
      await new Promise((resolve) => setTimeout(resolve, 50)); // past the snapshot
      const chunk = "x".repeat(100_000);
      for (let i = 0; i < 300 && !closed; i++) {
        bus.publish("s1", delta(chunk));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await vi.waitFor(() => expect(closed).toBe(true));
      expect((response as ServerResponse | null)?.writableLength ?? 0).toBeLessThan(16 * 1024 * 1024);
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

describe("chunkWriter: the event stream's own chunk framing on the response's socket", () => {
  /** The raw bytes a server whose every response is `respond(res)` sends for `request`, up to the connection's end. */
  async function rawExchange(request: string, respond: (res: ServerResponse) => void): Promise<string> {
    const server = await serve(respond);
    try {
      const { port } = new URL(server.url);
      return await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => socket.write(request));
        let text = "";
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => {
          text += chunk;
        });
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
    } finally {
      await server.close();
    }
  }

  let resWrites = 0;
  const twoPiecesThenEnd = (res: ServerResponse) => {
    res.setHeader("content-type", "text/event-stream");
    const original = res.write;
    res.write = ((...args: Parameters<typeof original>) => {
      resWrites += 1;
      return original.apply(res, args);
    }) as typeof original;
    const write = chunkWriter(res);
    write("data: één\n\n");
    write("data: two\n\n");
    res.end();
  };

  test("a GET on HTTP/1.1: each piece is one chunk (its size in bytes, not characters), Node ends the body, the connection stays open", async () => {
    resWrites = 0;
    const raw = await rawExchange(
      "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      twoPiecesThenEnd,
    );
    const responses = raw.split("HTTP/1.1 200 OK\r\n").slice(1);
    expect(responses).toHaveLength(2); // keep-alive: the second request was answered on the same connection
    const response = responses[0] ?? "";
    const head = response.slice(0, response.indexOf("\r\n\r\n"));
    const body = response.slice(response.indexOf("\r\n\r\n") + 4);
    expect(head.toLowerCase()).toContain("transfer-encoding: chunked");
    const first = Buffer.from("data: één\n\n", "utf8");
    expect(first.length).toBe(13); // 11 characters
    // the first response's pieces went straight to the socket; the second, pipelined behind
    // it, had no socket yet when it wrote, so it went through res.write (and still arrived)
    expect(resWrites).toBe(2);
    expect(responses[1]).toContain("data: two");
    expect(body).toBe(`d\r\n${first.toString("latin1")}\r\nb\r\ndata: two\n\n\r\n0\r\n\r\n`);
  });

  test("HTTP/1.0 and HEAD go through res.write: no chunk frames Node didn't make", async () => {
    resWrites = 0;
    const old = await rawExchange("GET / HTTP/1.0\r\nHost: x\r\n\r\n", twoPiecesThenEnd);
    expect(old.slice(old.indexOf("\r\n\r\n") + 4)).toBe(Buffer.from("data: één\n\ndata: two\n\n").toString("latin1"));
    const head = await rawExchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", twoPiecesThenEnd);
    expect(head.slice(head.indexOf("\r\n\r\n") + 4)).toBe("");
    expect(resWrites).toBe(4);
  });
});
