import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ORIGINAL, patchBodyStreams } from "./body-streams-patch";

const require = createRequire(import.meta.url);
const installed = require.resolve("next/dist/server/body-streams.js");
const { getCloneableBody } = require(installed) as {
  getCloneableBody: (request: Readable) => { cloneBodyStream: () => Readable; finalize: () => Promise<void> };
};

/**
 * A request with a body (a Readable that, like Node's IncomingMessage, is not destroyed at its
 * end), after the proxy has run: Next.js has put its copy's methods on it.
 */
async function afterProxy(): Promise<Readable> {
  const request = new Readable({ read() {}, autoDestroy: false });
  const body = getCloneableBody(request);
  body.cloneBodyStream().resume();
  request.push('{"task":"x"}');
  request.push(null);
  await body.finalize();
  return request;
}

const hangUp = () => Object.assign(new Error("aborted"), { code: "ECONNRESET" });

describe("Next.js's request-body copy (patched at install)", () => {
  test("a hang-up after the proxy answered by itself is no uncaught exception", async () => {
    const request = await afterProxy();
    const closed = new Promise((resolve) => request.once("close", resolve));
    request.destroy(hangUp());
    await closed;
  });

  test("a route that listens for errors on the body still hears of the hang-up", async () => {
    const request = await afterProxy();
    const heard = new Promise<Error>((resolve) => request.once("error", resolve));
    request.destroy(hangUp());
    expect((await heard).message).toBe("aborted");
  });

  test("the patch applies once, and says so when the code is not the one it knows", () => {
    const source = `function getCloneableBody() {\n${ORIGINAL}\n}`;
    const first = patchBodyStreams(source);
    expect(first.outcome).toBe("patched");
    const text = first.outcome === "patched" ? first.text : "";
    expect(text).toContain("listenerCount('error')");
    expect(patchBodyStreams(text)).toEqual({ outcome: "already" });
    expect(patchBodyStreams(readFileSync(installed, "utf8"))).toEqual({ outcome: "already" });
    expect(patchBodyStreams("module.exports = {}")).toEqual({ outcome: "unknown" });
  });
});
