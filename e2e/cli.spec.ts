import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { guestOn } from "./auth";
import { EMULATOR } from "./helpers";
import { APP_PORT, SPARE_APP_PORT } from "./ports";
import { ADMIN_URL, killServer, sql, startPostgresInstance, waitHealthy } from "./servers";

/** The CLI for CI bots against the running app and the wire emulator (playwright.config.ts). */

const BIN = resolve("bin/interleave.mjs");
const URL = `http://127.0.0.1:${APP_PORT}`;
const SUM = "export function sum(a, b) {\n  return a + b;\n}\n";
const dirs: string[] = [];
test.afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), "interleave-cli-"));
  dirs.push(dir);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/sum.ts"), SUM);
  writeFileSync(join(dir, "README.md"), "# not uploaded\n");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

/** A new API token of a new guest account on the server at `base`, and that guest's sign-in cookie. */
async function newToken(base: string): Promise<{ token: string; cookie: string }> {
  const cookie = await guestOn(base);
  const response = await fetch(`${base}/api/tokens`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "CLI e2e" }),
  });
  expect(response.status).toBe(201);
  return { token: ((await response.json()) as { token: string }).token, cookie };
}

/** An API token of a guest account, made as a person would (Settings → Access calls the same route). */
let apiToken: Promise<string> | null = null;
/** The token's person: their sign-in cookie. */
let person = "";
function botToken(): Promise<string> {
  apiToken ??= (async () => {
    const { token, cookie } = await newToken(URL);
    person = cookie;
    return token;
  })();
  return apiToken;
}

/** Runs the CLI with INTERLEAVE_TOKEN = `token` (default: a working API token). */
async function cli(
  cwd: string,
  args: string[],
  token?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, INTERLEAVE_TOKEN: token ?? (await botToken()) };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, "run", "--url", URL, ...args],
      { cwd, env, timeout: 50_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test("run --wait: the patch on stdout applies with git, progress and the session link on stderr", async () => {
  const repo = checkout();
  const { code, stdout, stderr } = await cli(repo, [
    "--task",
    "Write a sum function with tests",
    "--files",
    "src/",
    "--model",
    "MiniMax-M2",
    "--wait",
  ]);
  expect(stderr).toMatch(new RegExp(`session ${URL}/s/[\\w-]+ \\(1 files, model MiniMax-M2\\)`));
  expect(stderr).toContain("• write_file src/sum.ts");
  expect(code).toBe(0);
  expect(stdout).toMatch(/^diff --git a\/src\/sum.test.ts b\/src\/sum.test.ts/m);
  writeFileSync(join(repo, "x.patch"), stdout);
  execFileSync("git", ["apply", "x.patch"], { cwd: repo });
  expect(readFileSync(join(repo, "src/sum.ts"), "utf8")).toContain("total + value, 0");

  // The session is there for a person to open.
  const link = /session (\S+)/.exec(stderr)?.[1] as string;
  const page = await fetch(link, { headers: { cookie: person }, redirect: "manual" });
  expect(page.status).toBe(200);
});

test("run --wait --apply writes the changed files", async () => {
  const repo = checkout();
  // a file the model doesn't touch, saved with a byte-order mark: it stays byte for byte
  const notes = Buffer.from("\ufeff# Notes\n", "utf8");
  writeFileSync(join(repo, "src/notes.md"), notes);
  const { code, stderr } = await cli(repo, ["--task", "Write a sum function", "--files", "src", "--wait", "--apply"]);
  expect(code).toBe(0);
  expect(stderr).toMatch(/wrote 2 files: src\/sum\.test\.ts, src\/sum\.ts/);
  expect(readFileSync(join(repo, "src/notes.md"))).toEqual(notes);
  expect(readFileSync(join(repo, "src/sum.test.ts"), "utf8")).toContain('describe("sum"');
});

test("a failed run exits 1 with the reason; a refused upload exits 2 with the server's message", async () => {
  const repo = checkout();
  const failed = await cli(repo, ["--task", "Write a sum function [emulator:fault=401]", "--files", "src", "--wait"]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/run failed: /);
  expect(failed.stdout).toBe("");

  const refused = await cli(repo, ["--task", "Write a sum function", "--files", "src", "--model", "no-such-model"]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^interleave: Unknown model "no-such-model"\. Pick one from the model list\./m);

  // the server's limit (PROJECT_MAX_BYTES, 1 MiB here) read from /api/health: the CLI stops before uploading
  writeFileSync(join(repo, "src/huge.txt"), "x".repeat(1_200_000));
  const tooLarge = await cli(repo, ["--task", "Too big", "--files", "src", "--wait"]);
  expect(tooLarge.code).toBe(2);
  expect(tooLarge.stderr).toMatch(
    /--files src: the project is larger than 1\.0 MB of text, the most this server takes/,
  );

  const usage = await cli(repo, ["--files", "src"]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/--task is required/);
});

test("a token the server doesn't know is refused with a clear message, exit 2, nothing created", async () => {
  const repo = checkout();
  const mine = { headers: { authorization: `Bearer ${await botToken()}` } };
  const before = await (await fetch(`${URL}/api/sessions`, mine)).json();
  const { code, stderr } = await cli(
    repo,
    ["--task", "Write a sum function", "--files", "src"],
    `ilv_${"x".repeat(43)}`,
  );
  expect(code).toBe(2);
  expect(stderr).toContain("the server refused INTERLEAVE_TOKEN");
  expect(await (await fetch(`${URL}/api/sessions`, mine)).json()).toEqual(before);
});

/** `npm start` on the spare port over the embedded database in `root`/data, logging to `root`/app.log. */
function startSpareApp(root: string): ChildProcess {
  const log = openSync(join(root, "app.log"), "a");
  return spawn("npm", ["start", "--", "-p", String(SPARE_APP_PORT), "-H", "127.0.0.1"], {
    detached: true, // its own process group, killed as a whole
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATA_DIR: join(root, "data"),
      MINIMAX_API_KEY: "e2e-test-key",
      MINIMAX_BASE_URL: EMULATOR,
      MINIMAX_API: "anthropic",
      MODEL_STALL_TIMEOUT_MS: "60000",
    },
  });
}

test("run --wait rides through its server dying mid-run: it reconnects and reports how the run ended", async () => {
  test.setTimeout(180_000);
  const spare = `http://127.0.0.1:${SPARE_APP_PORT}`;
  const root = mkdtempSync(join(tmpdir(), "interleave-cli-restart-"));
  dirs.push(root);
  let server = startSpareApp(root);
  let child: ChildProcess | undefined;
  try {
    await waitHealthy(spare);
    const { token, cookie } = await newToken(spare);
    const repo = checkout();
    // The reply stops a few words in and never resumes: the run is going when the server dies.
    const cliProcess = spawn(
      process.execPath,
      [BIN, "run", "--url", spare, "--task", "Write a sum function [emulator:fault=stall@8]", "--files", "src"].concat([
        "--model",
        "MiniMax-M2",
        "--wait",
      ]),
      { cwd: repo, env: { ...process.env, INTERLEAVE_TOKEN: token } },
    );
    child = cliProcess;
    let stderr = "";
    cliProcess.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((done) => cliProcess.once("exit", (code) => done(code)));
    await expect.poll(() => /session \S+\/s\/([\w-]+)/.exec(stderr)?.[1], { timeout: 30_000 }).toBeTruthy();
    const sessionId = /session \S+\/s\/([\w-]+)/.exec(stderr)?.[1] as string;
    const running = async () => {
      const response = await fetch(`${spare}/api/sessions/${sessionId}/runs`, { headers: { cookie } });
      return ((await response.json()) as { runs: { status: string }[] }).runs[0]?.status;
    };
    await expect.poll(running, { timeout: 30_000 }).toBe("running");
    await new Promise((done) => setTimeout(done, 1_500)); // the CLI is following the stream

    await killServer(server); // kill -9: nothing is recorded, the stream just drops
    server = startSpareApp(root); // it finishes the dead server's run as it opens (PGlite)
    await waitHealthy(spare);

    expect(await exited).toBe(1);
    expect(stderr).toMatch(/lost the event stream \(.*\); reconnecting for up to 90 s/);
    expect(stderr).toContain("reconnected");
    expect(stderr).toMatch(/run failed: The server running this run stopped before it finished/);
    expect(stderr).not.toContain("the run may still be going");
  } finally {
    child?.kill(); // a no-op once it has exited
    await killServer(server);
  }
});

test("run --wait --resume: kill -9 of its instance mid-run, restarted on the same PostgreSQL: it follows the resumed run and exits with its outcome", async () => {
  test.setTimeout(240_000);
  const testInfo = test.info();
  const spare = `http://127.0.0.1:${SPARE_APP_PORT}`;
  const name = `interleave_e2e_cli_resume_${Date.now()}_${process.pid}`;
  await sql(ADMIN_URL, `CREATE DATABASE "${name}"`);
  const url = new globalThis.URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // a short lease: the restarted instance notices the dead run within seconds
  const start = (log: string) =>
    startPostgresInstance(SPARE_APP_PORT, url.toString(), testInfo.outputPath(log), { RUN_LEASE_MS: "6000" });
  let server = start("before-kill.log");
  let child: ChildProcess | undefined;
  try {
    await waitHealthy(spare);
    const { token, cookie } = await newToken(spare);
    const repo = checkout();
    // The first reply stops a few words in and never resumes: the run is going when the server dies;
    // the resumed run's replies are whole.
    const fault = await fetch(`${EMULATOR}/__emulator/fault`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "stall", afterChunks: 8, times: 1 }),
    });
    expect(fault.ok).toBe(true);
    const args = ["run", "--url", spare, "--task", "Write a sum function [emulator:scenario=sum]", "--files", "src"];
    const cliProcess = spawn(process.execPath, [BIN, ...args, "--model", "MiniMax-M2", "--wait", "--resume"], {
      cwd: repo,
      env: { ...process.env, INTERLEAVE_TOKEN: token },
    });
    child = cliProcess;
    let stderr = "";
    let stdout = "";
    cliProcess.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    cliProcess.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    const exited = new Promise<number | null>((done) => cliProcess.once("exit", (code) => done(code)));
    await expect.poll(() => /session \S+\/s\/([\w-]+)/.exec(stderr)?.[1], { timeout: 30_000 }).toBeTruthy();
    const sessionId = /session \S+\/s\/([\w-]+)/.exec(stderr)?.[1] as string;
    type Run = {
      id: string;
      status: string;
      errorCode: string | null;
      resumesRunId: string | null;
      resumedByRunId: string | null;
    };
    const runs = async () => {
      const response = await fetch(`${spare}/api/sessions/${sessionId}/runs`, { headers: { cookie } });
      return ((await response.json()) as { runs: Run[] }).runs;
    };
    await expect.poll(async () => (await runs())[0]?.status, { timeout: 30_000 }).toBe("running");
    await new Promise((done) => setTimeout(done, 1_500)); // the CLI is following the stream

    await killServer(server); // kill -9: nothing is recorded, the stream just drops
    server = start("after-restart.log");
    await waitHealthy(spare);

    expect(await exited).toBe(0);
    const [cut, resumed] = await runs();
    expect(cut).toMatchObject({ status: "failed", errorCode: "unavailable:server_stopped", resumesRunId: null });
    expect(resumed).toMatchObject({ status: "done", resumesRunId: cut?.id, resumedByRunId: null });
    expect(cut?.resumedByRunId).toBe(resumed?.id);
    expect(stderr).toMatch(/lost the event stream \(.*\); reconnecting for up to 90 s/);
    expect(stderr).toContain(`run ${cut?.id} was interrupted; following its resume ${resumed?.id}`);
    expect(stderr).toContain("• write_file src/sum.ts");
    expect(stderr).toMatch(/done in \d+ output tokens/);
    expect(stdout).toMatch(/^diff --git a\/src\/sum.test.ts b\/src\/sum.test.ts/m);
  } finally {
    child?.kill(); // a no-op once it has exited
    await killServer(server);
    await fetch(`${EMULATOR}/__emulator/fault`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "null",
    }).catch(() => {});
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
});
