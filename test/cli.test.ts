import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterEach, describe, expect, test, vi } from "vitest";
import { collectFiles, main } from "@/cli/interleave.mjs";
import { IGNORED_FILES, IGNORED_FOLDERS } from "@/lib/project/intake";

/** The CLI against a scripted fake server: what it does when the server misbehaves. */

// the CLI's reads can be made to meet a file deleted after the walk found it
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
});

const enc = (text: string) => new TextEncoder().encode(text);

/** The settings each PATCH of session s1 asked for (the CLI's --resume). */
let patched: unknown[] = [];
/** Each request the fake server got, as "METHOD /path". */
let requests: string[] = [];

/**
 * A server that creates session s1 / run r1; `events` answers each event stream; `download` the zip; the patch is
 * "PATCH"; GET /api/health answers `health`, or 404 without it (a server that says nothing of itself).
 */
async function fakeServer(
  events: (res: import("node:http").ServerResponse, req: import("node:http").IncomingMessage) => void,
  download?: Uint8Array,
  health?: object,
) {
  patched = [];
  requests = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method === "PATCH" && req.url === "/api/sessions/s1") {
      let body = "";
      req.on("data", (chunk) => {
        body += String(chunk);
      });
      req.on("end", () => {
        patched.push(JSON.parse(body));
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ session: { id: "s1", modelId: "m", settings: { resumeInterrupted: true } } }));
      });
    } else if (req.method === "POST" && req.url === "/api/sessions") {
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ session: { id: "s1", modelId: "m" }, startingFiles: { skipped: [] } }));
      });
    } else if (req.method === "POST" && req.url === "/api/sessions/s1/runs") {
      req.resume();
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ run: { id: "r1", status: "running" } }));
    } else if (req.url === "/api/sessions/s1/events") {
      res.setHeader("content-type", "text/event-stream");
      events(res, req);
    } else if (req.url === "/api/health" && health) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(health));
    } else if (req.url === "/api/sessions/s1/patch") {
      res.end("PATCH");
    } else if (req.url === "/api/sessions/s1/download" && download) {
      res.end(Buffer.from(download));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "interleave-cli-unit-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function captureStderr(): () => string {
  let text = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  // written, as a real stdout says through the callback (the CLI waits for it)
  vi.spyOn(process.stdout, "write").mockImplementation(((_chunk: unknown, callback?: unknown) => {
    if (typeof callback === "function") process.nextTick(callback, null);
    return true;
  }) as typeof process.stdout.write);
  return () => text;
}

/** One SSE message with its sequence number as `id:`, as the server sends it. */
const sse = (id: number, message: object) => `id: ${id}\ndata: ${JSON.stringify({ ...message, seq: id })}\n\n`;

/** A finished answer step of run r1. */
const doneStep = (id: string, content: string) => ({ id, runId: "r1", kind: "text", status: "done", content });

/** How the server finishes a run whose server died (lib/db/runs.ts SERVER_STOPPED). */
const CUT_OFF = {
  status: "failed",
  errorCode: "unavailable:server_stopped",
  errorMessage: "The server running this run stopped before it finished. Every step streamed so far is kept.",
};

const snapshot = (status: string) =>
  `data: ${JSON.stringify({ type: "snapshot", steps: [], runs: [{ id: "r1", status, outputTokens: 1 }] })}\n\n`;

describe("interleave run against a misbehaving server", () => {
  test("an --url that is not an http(s) address is a usage error (exit 2), not a stack trace", async () => {
    for (const url of ["notaurl", "ftp://example.com", "localhost:3000"]) {
      const stderr = captureStderr();
      expect(await main(["run", "--url", url, "--task", "t"], tempDir())).toBe(2);
      expect(stderr()).toMatch(/--url must be an http:\/\/ or https:\/\/ address/);
      vi.restoreAllMocks();
    }
  });

  test("symlinks inside an uploaded folder are not followed: no files from outside, no loop", async () => {
    const secrets = tempDir();
    writeFileSync(join(secrets, "id_rsa"), "PRIVATE KEY\n");
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "src/a.ts"), "x\n");
    symlinkSync(secrets, join(repo, "src/keys"));
    symlinkSync("..", join(repo, "src/up"));
    const stderr = captureStderr();
    expect([...collectFiles(["src"], repo).keys()]).toEqual(["src/a.ts"]);
    expect(stderr()).toMatch(/skipped src\/keys: a symbolic link/);
  });

  test("--files ../ names every file from that folder: nothing from the current one is lost or renamed, no path holds ..", async () => {
    const parent = tempDir();
    const repo = join(parent, "repo");
    for (const folder of ["repo/src", "src", "other"]) mkdirSync(join(parent, folder), { recursive: true });
    writeFileSync(join(parent, "repo/src/a.ts"), "mine\n");
    writeFileSync(join(parent, "repo/..notes"), "a name that starts with two dots\n");
    writeFileSync(join(parent, "src/a.ts"), "the parent's\n");
    writeFileSync(join(parent, "other/o.ts"), "o\n");
    writeFileSync(join(parent, "top.txt"), "t\n");
    for (const given of ["..", "../", `${parent}/`]) {
      const files = collectFiles([given], repo);
      expect([...files.keys()]).toEqual(["other/o.ts", "repo/..notes", "repo/src/a.ts", "src/a.ts", "top.txt"]);
      expect(Buffer.from(files.get("repo/src/a.ts")?.bytes ?? []).toString()).toBe("mine\n");
      expect(Buffer.from(files.get("src/a.ts")?.bytes ?? []).toString()).toBe("the parent's\n");
    }
    // inside the current folder paths keep the repository's layout, as before
    expect([...collectFiles(["src", "..notes"], repo).keys()]).toEqual(["src/a.ts", "..notes"]);
    expect([...collectFiles(["../other", "../top.txt"], repo).keys()]).toEqual(["o.ts", "top.txt"]);
    for (const path of collectFiles([".."], join(repo, "src")).keys()) expect(path.split("/")).not.toContain("..");
  });

  test("what the server skips in a folder is not uploaded: version control, dependencies, desktop metadata", async () => {
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "src/a.ts"), "x\n");
    for (const folder of IGNORED_FOLDERS) {
      mkdirSync(join(repo, "src", folder));
      writeFileSync(join(repo, "src", folder, "inside.ts"), "skipped\n");
    }
    for (const file of IGNORED_FILES) writeFileSync(join(repo, "src", file), "skipped\n");
    expect([...collectFiles(["src"], repo).keys()]).toEqual(["src/a.ts"]);
    // only folders by those names are skipped as folders, files by those names as files
    const named = tempDir();
    writeFileSync(join(named, "node_modules"), "a file, kept\n");
    mkdirSync(join(named, ".DS_Store"));
    writeFileSync(join(named, ".DS_Store/kept.ts"), "a folder, kept\n");
    expect([...collectFiles(["."], named).keys()]).toEqual([".DS_Store/kept.ts", "node_modules"]);
  });

  test("a .zip inside a --files folder is not sent: the server would unpack it over the project; one given by name is", async () => {
    const repo = tempDir();
    mkdirSync(join(repo, "fixtures"));
    writeFileSync(join(repo, "fixtures/data.zip"), zipSync({ "src/a.ts": enc("from the zip\n") }));
    writeFileSync(join(repo, "fixtures/OLD.ZIP"), zipSync({ "old.txt": enc("old\n") }));
    writeFileSync(join(repo, "a.ts"), "a\n");
    const stderr = captureStderr();
    expect([...collectFiles(["."], repo).keys()]).toEqual(["a.ts"]);
    expect(stderr()).toMatch(/^skipped fixtures\/OLD\.ZIP: a \.zip/m);
    expect(stderr()).toMatch(/^skipped fixtures\/data\.zip: a \.zip/m);
    expect([...collectFiles(["fixtures/data.zip"], repo).keys()]).toEqual(["fixtures/data.zip"]);
  });

  test("a name the server would store as another (a backslash, spaces at a path's ends) is skipped with a note, not renamed or laid over another file", async () => {
    const repo = tempDir();
    writeFileSync(join(repo, "notes.txt"), "the real notes\n");
    writeFileSync(join(repo, "notes.txt "), "a trailing space\n");
    writeFileSync(join(repo, " lead.txt"), "a leading space\n");
    writeFileSync(join(repo, "back\\slash.txt"), "a backslash\n");
    const stderr = captureStderr();
    const files = collectFiles(["."], repo);
    expect([...files.keys()]).toEqual(["notes.txt"]);
    expect(Buffer.from(files.get("notes.txt")?.bytes ?? []).toString()).toBe("the real notes\n");
    expect(stderr()).toContain("skipped back\\slash.txt: the server would store it as back/slash.txt");
    expect(stderr()).toContain("skipped notes.txt : the server would store it as notes.txt");
    expect(stderr()).toContain("skipped  lead.txt: the server would store it as lead.txt");
  });

  test('a --files path through a link to the current folder ("$PWD/src" in a linked checkout) is inside it: same names, --apply allowed', async () => {
    const parent = tempDir();
    const repo = join(parent, "repo");
    mkdirSync(join(repo, "src"), { recursive: true });
    writeFileSync(join(repo, "src/a.ts"), "a\n");
    symlinkSync(repo, join(parent, "alias"));
    expect([...collectFiles([join(parent, "alias/src")], repo).keys()]).toEqual(["src/a.ts"]);
    const url = await fakeServer((res) => res.end(snapshot("done")), zipSync({ "src/a.ts": enc("b\n") }));
    const stderr = captureStderr();
    const args = ["run", "--url", url, "--task", "t", "--files", join(parent, "alias/src"), "--wait", "--apply"];
    expect(await main(args, repo)).toBe(0);
    expect(stderr()).toMatch(/wrote 1 files: src\/a\.ts/);
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe("b\n");
  });

  test("a pipe, socket or device is not a file: given by name it is a usage error, inside a folder it is skipped with a note", async () => {
    const repo = tempDir();
    writeFileSync(join(repo, "a.ts"), "a\n");
    execFileSync("mkfifo", [join(repo, "pipe")]);
    const stderr = captureStderr();
    expect([...collectFiles(["."], repo).keys()]).toEqual(["a.ts"]);
    expect(stderr()).toContain("skipped pipe: not a file or folder (a pipe, socket or device)\n");
    expect(() => collectFiles(["pipe"], repo)).toThrow(
      "--files pipe is not a file or folder (a pipe, socket or device): give files and folders",
    );
    expect(() => collectFiles(["/dev/null"], repo)).toThrow("--files /dev/null is not a file or folder");
  });

  test("two files that would be uploaded under one path are a usage error naming both, not one silently dropped", async () => {
    const parent = tempDir();
    const repo = join(parent, "repo");
    mkdirSync(join(parent, "one"), { recursive: true });
    mkdirSync(join(parent, "two"));
    mkdirSync(repo);
    writeFileSync(join(parent, "one/index.ts"), "1\n");
    writeFileSync(join(parent, "two/index.ts"), "2\n");
    expect(() => collectFiles(["../one", "../two"], repo)).toThrow(
      `${join(parent, "two/index.ts")} and ${join(parent, "one/index.ts")} would both be uploaded as index.ts`,
    );
  });

  test("one file named from two places (--files src --files ..) is a usage error naming both paths, not uploaded twice", async () => {
    const parent = tempDir();
    const repo = join(parent, "repo");
    mkdirSync(join(repo, "src"), { recursive: true });
    writeFileSync(join(repo, "src/a.py"), "a\n");
    expect(() => collectFiles(["src", ".."], repo)).toThrow(
      `${join(repo, "src/a.py")} would be uploaded twice, as src/a.py and as repo/src/a.py (a folder outside the current one is named from itself): give paths that don't overlap. Nothing was uploaded.`,
    );
  });

  test("the walk stops at the server's limits before reading the rest: text files, bytes of text, binary bytes", async () => {
    const dir = tempDir();
    for (let i = 0; i < 10; i += 1) writeFileSync(join(dir, `t${i}.ts`), "x".repeat(100));
    const read = vi.mocked(fs.readFileSync);
    read.mockClear();
    expect(() => collectFiles(["."], dir, { maxBytes: 1024 * 1024, maxFiles: 3 })).toThrow(
      "--files .: the project has more than 3 files, the most this server takes; stopped before reading the rest.",
    );
    expect(read).toHaveBeenCalledTimes(4);
    expect(() => collectFiles(["."], dir, { maxBytes: 250, maxFiles: 100 })).toThrow(
      "--files .: the project is larger than 0.00 MB of text",
    );
    // binary files are not text files, but are sent: the upload's limit (twice the text plus 1 MiB) holds them
    const binaries = tempDir();
    for (let i = 0; i < 5; i += 1) writeFileSync(join(binaries, `b${i}.png`), Buffer.from([0x89, 0, 1, 2]));
    writeFileSync(join(binaries, "c.ts"), "c\n");
    expect([...collectFiles(["."], binaries, { maxBytes: 1024, maxFiles: 1 }).keys()]).toHaveLength(6);
    writeFileSync(join(binaries, "a-big.bin"), Buffer.alloc(1024 * 1024 + 4096));
    read.mockClear();
    expect(() => collectFiles(["."], binaries, { maxBytes: 1024, maxFiles: 1 })).toThrow(
      "--files .: the files are larger than 1.0 MB, binary ones included",
    );
    expect(read).not.toHaveBeenCalled();
  });

  test("the limits come from the server's /api/health: past them exit 2 and nothing is uploaded", async () => {
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    for (const name of ["a", "b", "c"]) writeFileSync(join(repo, `src/${name}.ts`), `${name}\n`);
    const health = { ok: true, database: "postgres", migrations: 1, projectLimits: { maxBytes: 1024, maxFiles: 2 } };
    const url = await fakeServer(() => {}, undefined, health);
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--files", "src"], repo)).toBe(2);
    expect(stderr()).toMatch(
      /^interleave: --files src: the project has more than 2 files, the most this server takes/m,
    );
    expect(requests).toEqual(["GET /api/health"]);
  });

  test("--apply with --files outside the current folder is a usage error: the files would be written elsewhere", async () => {
    const parent = tempDir();
    mkdirSync(join(parent, "repo"));
    writeFileSync(join(parent, "a.ts"), "a\n");
    const url = await fakeServer(() => {});
    const stderr = captureStderr();
    const args = ["run", "--url", url, "--task", "t", "--files", "..", "--wait", "--apply"];
    expect(await main(args, join(parent, "repo"))).toBe(2);
    expect(stderr()).toMatch(/^interleave: --apply writes into the current folder, and --files \.\. is outside it/m);
    expect(requests).toEqual([]);
  });

  test("an option that takes one value, given twice, is a usage error naming it (exit 2); --files may repeat", async () => {
    const once = ["--task", "t", "--model", "m", "--max-turns", "3", "--reconnect-for", "5", "--url", "http://a.test"];
    for (let i = 0; i < once.length; i += 2) {
      const name = once[i] as string;
      for (const again of [[name, "other"], [`${name}=other`]]) {
        const stderr = captureStderr();
        expect(await main(["run", ...once, ...again], tempDir())).toBe(2);
        expect(stderr()).toContain(`interleave: ${name} was given more than once: give it once\n`);
        vi.restoreAllMocks();
      }
    }
    const repo = tempDir();
    writeFileSync(join(repo, "a.ts"), "a\n");
    writeFileSync(join(repo, "b.ts"), "b\n");
    const url = await fakeServer(() => {});
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--files", "a.ts", "--files", "b.ts"], repo)).toBe(0);
    expect(stderr()).toMatch(/\(2 files, model m\)/);
  });

  test("a file deleted after the folder walk found it is a message naming it and exit 2, nothing uploaded", async () => {
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "src/a.ts"), "a\n");
    writeFileSync(join(repo, "src/b.ts"), "b\n");
    const read = vi.mocked(fs.readFileSync);
    const realRead = read.getMockImplementation() as typeof fs.readFileSync;
    read.mockImplementation(((path: fs.PathOrFileDescriptor, options?: never) => {
      if (String(path).endsWith("b.ts")) rmSync(path as string);
      return realRead(path, options);
    }) as typeof fs.readFileSync);
    cleanups.push(() => read.mockImplementation(realRead));
    const url = await fakeServer(() => {});
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--files", "src"], repo)).toBe(2);
    expect(stderr()).toMatch(
      /^interleave: can't read src\/b\.ts \(.*b\.ts\): no such file or folder\. Nothing was uploaded\.\n$/m,
    );
    expect(requests.filter((request) => request.startsWith("POST"))).toEqual([]);
  });

  test("a server that answers 200 with something other than its JSON (a wrong --url, a sign-in page) is exit 2 with a message, not a stack trace", async () => {
    for (const [type, body] of [
      ["text/html", "<!doctype html><html>Sign in</html>"],
      ["application/json", '{"hello":"world"}'],
    ]) {
      const server: Server = createServer((req, res) => {
        req.resume();
        res.setHeader("content-type", type as string);
        res.end(body);
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      cleanups.push(() => server.close());
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const stderr = captureStderr();
      expect(await main(["run", "--url", url, "--task", "t"], tempDir())).toBe(2);
      expect(stderr()).toContain(`interleave: ${url}/api/sessions did not answer as an Interleave server does`);
      vi.restoreAllMocks();
    }
    // --apply's download that is not a zip
    const url = await fakeServer((res) => res.end(snapshot("done")), enc("<!doctype html>"));
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait", "--apply"], tempDir())).toBe(2);
    expect(stderr()).toContain(`interleave: ${url}/api/sessions/s1/download did not answer with a .zip of the files`);
  });

  test("the server dying mid-run is a message and exit 2, not a stack trace", async () => {
    const url = await fakeServer((res) => {
      res.write(snapshot("running"));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const stderr = captureStderr();
    const code = await main(["run", "--url", url, "--task", "t", "--wait", "--reconnect-for", "1"], tempDir());
    expect(code).toBe(2);
    expect(stderr()).toMatch(/lost the connection to .* before the run ended.*\/s\/s1/s);
  });

  test("a dropped event stream is reconnected with Last-Event-ID; no step is reported twice", async () => {
    const events = [
      sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }),
      sse(2, { type: "step.created", step: doneStep("a", "alpha") }),
      sse(3, { type: "step.created", step: doneStep("b", "beta") }),
      sse(4, { type: "step.created", step: doneStep("c", "gamma") }),
      sse(5, { type: "run.updated", run: { id: "r1", status: "done", outputTokens: 7 } }),
    ];
    const asked: (string | undefined)[] = [];
    const url = await fakeServer((res, req) => {
      const after = req.headers["last-event-id"] as string | undefined;
      asked.push(after);
      const rest = events.slice(after === undefined ? 0 : Number(after));
      if (asked.length === 1) {
        res.write(rest.slice(0, 3).join("")); // then the instance dies
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (asked.length === 2) {
        res.end(rest[0]); // a graceful stop: the server closes the stream
      } else {
        res.write(rest.join(""));
      }
    });
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait"], tempDir())).toBe(0);
    expect(asked).toEqual([undefined, "3", "4"]);
    expect(stderr()).toMatch(/lost the event stream .*reconnecting for up to 90 s/);
    expect(stderr()).toMatch(/reconnected/);
    for (const word of ["alpha", "beta", "gamma"]) {
      expect(stderr().split(`answer: ${word}`).length - 1).toBe(1);
    }
  });

  test("a reconnect answered with a fresh snapshot (the server no longer holds the missed events) reports only new steps", async () => {
    let connections = 0;
    const url = await fakeServer((res) => {
      connections += 1;
      if (connections === 1) {
        res.write(
          sse(40, { type: "snapshot", steps: [doneStep("a", "alpha")], runs: [{ id: "r1", status: "running" }] }),
        );
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (connections === 2) {
        res.writeHead(503).end(); // a load balancer with no instance up yet
      } else {
        // a restarted server with an in-memory bus numbers from 0 again
        res.write(
          sse(2, {
            type: "snapshot",
            steps: [doneStep("a", "alpha"), doneStep("b", "beta")],
            runs: [{ id: "r1", status: "failed", errorMessage: "The server restarted while this run was going." }],
          }),
        );
      }
    });
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait"], tempDir())).toBe(1);
    expect(connections).toBe(3);
    expect(stderr().split("answer: alpha").length - 1).toBe(1);
    expect(stderr()).toMatch(/answer: beta/);
    expect(stderr()).toMatch(/run failed: The server restarted while this run was going\./);
  });

  test("--wait --resume follows a run cut off by its server into the run that resumes it: the final outcome is the exit code", async () => {
    const url = await fakeServer(
      (res) => {
        res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running", outputTokens: 0 }] }));
        res.write(sse(2, { type: "step.updated", step: doneStep("a", "alpha") }));
        res.write(sse(3, { type: "run.updated", run: { id: "r1", ...CUT_OFF, outputTokens: 3 } }));
        setTimeout(() => {
          res.write(sse(4, { type: "run.updated", run: { id: "r2", status: "running", resumesRunId: "r1" } }));
          res.write(
            sse(5, { type: "run.updated", run: { id: "r1", ...CUT_OFF, outputTokens: 3, resumedByRunId: "r2" } }),
          );
          res.write(sse(6, { type: "step.updated", step: { ...doneStep("b", "beta"), runId: "r2" } }));
          res.end(
            sse(7, { type: "run.updated", run: { id: "r2", status: "done", resumesRunId: "r1", outputTokens: 4 } }),
          );
        }, 300);
      },
      undefined,
      { ok: true, database: "postgres", migrations: 1 },
    );
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait", "--resume"], tempDir())).toBe(0);
    expect(patched).toEqual([{ resumeInterrupted: true }]);
    expect(stderr()).toMatch(
      /run r1 was interrupted \(its server stopped\); waiting up to 90 s for the run that resumes it/,
    );
    expect(stderr()).toContain("run r1 was interrupted; following its resume r2\n");
    expect(stderr().split("following its resume").length - 1).toBe(1);
    expect(stderr()).toMatch(/answer: alpha[\s\S]*answer: beta/);
    expect(stderr()).toMatch(/done in 7 output tokens/);
  });

  test("a --reconnect-for longer than a timer holds (24.8 days) still waits for the resume, not 1 ms", async () => {
    const url = await fakeServer(
      (res) => {
        res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running", outputTokens: 0 }] }));
        res.write(sse(2, { type: "run.updated", run: { id: "r1", ...CUT_OFF, outputTokens: 3 } }));
        setTimeout(() => {
          res.write(sse(3, { type: "run.updated", run: { id: "r1", ...CUT_OFF, resumedByRunId: "r2" } }));
          res.end(sse(4, { type: "run.updated", run: { id: "r2", status: "done", resumesRunId: "r1" } }));
        }, 300);
      },
      undefined,
      { ok: true, database: "postgres", migrations: 1 },
    );
    const stderr = captureStderr();
    const args = ["run", "--url", url, "--task", "t", "--wait", "--resume", "--reconnect-for", "3000000"];
    expect(await main(args, tempDir())).toBe(0);
    expect(stderr()).toContain("run r1 was interrupted; following its resume r2\n");
  });

  test("a reconnect whose snapshot already holds the resume (and the resume's own resume) follows the chain to its end", async () => {
    let connections = 0;
    const url = await fakeServer((res) => {
      connections += 1;
      if (connections === 1) {
        res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }));
        setTimeout(() => res.socket?.destroy(), 50); // the instance dies
      } else {
        // the server that took over cut off its own run too, and the third attempt failed for another reason
        res.write(
          sse(9, {
            type: "snapshot",
            session: { settings: { maxTurns: 25, resumeInterrupted: true } },
            steps: [{ ...doneStep("c", "gamma"), runId: "r3" }],
            runs: [
              { id: "r1", ...CUT_OFF, resumesRunId: null, resumedByRunId: "r2" },
              { id: "r2", ...CUT_OFF, resumesRunId: "r1", resumedByRunId: "r3" },
              { id: "r3", status: "failed", errorCode: "upstream:auth", errorMessage: "bad key", resumesRunId: "r2" },
            ],
          }),
        );
      }
    });
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait", "--resume"], tempDir())).toBe(1);
    expect(stderr()).toContain("run r1 was interrupted; following its resume r2");
    expect(stderr()).toContain("run r2 was interrupted; following its resume r3");
    expect(stderr()).toMatch(/answer: gamma/);
    expect(stderr()).toMatch(/run failed: bad key/);
  });

  test("a cut-off run that nothing resumes within --reconnect-for is the outcome (exit 1), the stream still up", async () => {
    const url = await fakeServer((res) => {
      res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }));
      res.write(sse(2, { type: "run.updated", run: { id: "r1", ...CUT_OFF } }));
    });
    const stderr = captureStderr();
    const started = Date.now();
    const args = ["run", "--url", url, "--task", "t", "--wait", "--resume", "--reconnect-for", "1"];
    expect(await main(args, tempDir())).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stderr()).toMatch(/waiting up to 1 s for the run that resumes it/);
    expect(stderr()).toMatch(/no run resumed run r1 within 1 s\nrun failed: The server running this run stopped/);
  });

  test("--resume on the embedded database (PGlite), which resumes nothing, says so at once and a cut-off run ends the wait (exit 1)", async () => {
    const url = await fakeServer(
      (res) => {
        res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }));
        res.write(sse(2, { type: "run.updated", run: { id: "r1", ...CUT_OFF } }));
      },
      undefined,
      { ok: true, database: "pglite", migrations: 1 },
    );
    const stderr = captureStderr();
    const started = Date.now();
    expect(await main(["run", "--url", url, "--task", "t", "--wait", "--resume"], tempDir())).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(patched).toEqual([]);
    expect(stderr()).toMatch(
      /^--resume: this server keeps its data in the embedded database \(PGlite\), where a run cut off by a restart is never resumed/,
    );
    expect(stderr()).not.toMatch(/waiting up to/);
    expect(stderr()).toMatch(/run failed: The server running this run stopped/);
  });

  test("without --resume the session is left as it is and a cut-off run ends the wait at once (exit 1)", async () => {
    const url = await fakeServer((res) => {
      res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }));
      res.write(sse(2, { type: "run.updated", run: { id: "r1", ...CUT_OFF } }));
    });
    const stderr = captureStderr();
    const started = Date.now();
    expect(await main(["run", "--url", url, "--task", "t", "--wait"], tempDir())).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(patched).toEqual([]);
    expect(stderr()).not.toMatch(/waiting up to/);
    expect(stderr()).toMatch(/run failed: The server running this run stopped/);
  });

  test("a refusal on reconnect (a revoked token) is not retried: exit 2 with its message", async () => {
    let connections = 0;
    const url = await fakeServer((res) => {
      connections += 1;
      if (connections === 1) {
        res.write(sse(1, { type: "snapshot", steps: [], runs: [{ id: "r1", status: "running" }] }));
        setTimeout(() => res.socket?.destroy(), 50);
      } else {
        res.writeHead(401).end();
      }
    });
    const stderr = captureStderr();
    const started = Date.now();
    expect(await main(["run", "--url", url, "--task", "t", "--wait"], tempDir())).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(connections).toBe(2);
    expect(stderr()).toMatch(/the server wants an API token/);
  });

  test("--apply never writes outside the folder, not even through a symlink inside it", async () => {
    const outside = tempDir();
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    symlinkSync(outside, join(repo, "link"));
    writeFileSync(join(outside, "target.txt"), "original\n");
    symlinkSync(join(outside, "target.txt"), join(repo, "src", "config.txt"));
    const zip = zipSync({
      "link/evil.txt": enc("pwned\n"),
      "src/config.txt": enc("pwned\n"),
      "src/ok.txt": enc("fine\n"),
    });
    const url = await fakeServer((res) => res.end(snapshot("done")), zip);
    const stderr = captureStderr();
    const code = await main(["run", "--url", url, "--task", "t", "--wait", "--apply"], repo);
    expect(code).toBe(0);
    expect(readFileSync(join(repo, "src/ok.txt"), "utf8")).toBe("fine\n");
    expect(existsSync(join(outside, "evil.txt"))).toBe(false);
    expect(readFileSync(join(outside, "target.txt"), "utf8")).toBe("original\n");
    expect(stderr()).toMatch(/skipped link\/evil\.txt: .*outside/);
    expect(stderr()).toMatch(/skipped src\/config\.txt: .*outside/);
    expect(stderr()).toMatch(/wrote 1 files: src\/ok\.txt/);
  });

  test("--apply leaves a file whose bytes are the same alone, a byte-order mark included", async () => {
    const repo = tempDir();
    mkdirSync(join(repo, "src"));
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("# Notes\n")]);
    writeFileSync(join(repo, "src/notes.md"), bom);
    const zip = zipSync({ "src/notes.md": bom, "src/new.txt": enc("\ufeffnew\n") });
    const url = await fakeServer((res) => res.end(snapshot("done")), zip);
    const stderr = captureStderr();
    expect(await main(["run", "--url", url, "--task", "t", "--wait", "--apply"], repo)).toBe(0);
    expect(stderr()).toMatch(/wrote 1 files: src\/new\.txt/);
    expect(readFileSync(join(repo, "src/notes.md"))).toEqual(Buffer.from(bom));
    expect(readFileSync(join(repo, "src/new.txt"))).toEqual(Buffer.from([0xef, 0xbb, 0xbf, ...enc("new\n")]));
  });

  test("stdout closed (>&-) with a patch to print is exit 2 with a message on stderr, before any run starts", async () => {
    const url = await fakeServer((res) => res.end(snapshot("done")));
    // Node opens /dev/null in place of a closed stdout, so only a real process shows it
    const { code, stderr } = await runBin(`--url ${url} --task t --wait >&-`);
    expect(stderr).toMatch(/interleave: stdout is closed/);
    expect(code).toBe(2);
    expect(requests.filter((request) => request.startsWith("POST"))).toEqual([]);
  });

  test("stdout that fails when the patch is written (a reader gone: EPIPE) is exit 2 with a message naming the patch, not exit 0 or a stack trace", async () => {
    const url = await fakeServer((res) => setTimeout(() => res.end(snapshot("done")), 300));
    // the reader of stdout goes away before the patch is written
    const { code, stderr } = await runBin(`--url ${url} --task t --wait | true`);
    expect(stderr).toMatch(
      /interleave: could not write the patch to stdout \(EPIPE\): it is at http:.*\/api\/sessions\/s1\/patch/,
    );
    expect(stderr).not.toMatch(/at .*\(node:/);
    expect(code).toBe(2);
  });

  test("a failing stdout in-process (EBADF) is exit 2 with a message; the message reaches stderr", async () => {
    const url = await fakeServer((res) => res.end(snapshot("done")));
    let text = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      text += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, "write").mockImplementation(((_chunk: unknown, callback?: unknown) => {
      const error = Object.assign(new Error("EBADF: bad file descriptor, write"), { code: "EBADF" });
      if (typeof callback === "function") process.nextTick(callback, error);
      process.nextTick(() => process.stdout.emit("error", error));
      return false;
    }) as typeof process.stdout.write);
    expect(await main(["run", "--url", url, "--task", "t", "--wait"], tempDir())).toBe(2);
    expect(text).toMatch(/could not write the patch to stdout \(EBADF\)/);
    expect(text).not.toMatch(/done in/);
  });
});

/**
 * bin/interleave.mjs run with `args` by bash (so `>&-` and pipes are the shell's), in a fresh folder: its exit
 * code (the first command's of a pipeline) and its stderr.
 */
function runBin(args: string): Promise<{ code: number | null; stderr: string }> {
  const bin = join(process.cwd(), "bin/interleave.mjs");
  const child = spawn("bash", ["-c", `"${process.execPath}" "${bin}" run ${args}; echo "exit=\${PIPESTATUS[0]}" >&2`], {
    cwd: tempDir(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((done) => {
    child.on("close", () => {
      const exit = /exit=(\d+)\s*$/.exec(stderr);
      done({ code: exit ? Number(exit[1]) : null, stderr: stderr.replace(/exit=\d+\s*$/, "") });
    });
  });
}
