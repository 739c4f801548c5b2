/**
 * `interleave run`: hand a task and your files to an Interleave server, follow the run, and
 * take the result back — for CI bots. Plain Node ESM (Node 20+), no build step; its one
 * dependency is fflate (to unpack the branch's files for --apply). See README, "CLI".
 *
 * Exit codes: 0 the run finished; 1 the run failed or was stopped; 2 bad usage (a file to
 * upload that can't be read included; a closed stdout when there is something to print),
 * the server refused the request (its message is printed), it could not be reached or went
 * away before the run ended and did not come back within --reconnect-for seconds, or what
 * it answered could not be written to stdout (EPIPE, EBADF…). With
 * --wait, a run its server cut off that the session resumes (--resume) counts as the run
 * that resumed it: the code is the outcome of the last run of that chain.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { unzipSync } from "fflate";

const USAGE = `Usage: interleave run --task "…" [--files PATH]… [options]

  --task TEXT        the coding task (required)
  --files PATH       a file or folder to start from (repeatable); paths are kept relative to
                     the current directory, so the patch applies at the repository root (a
                     folder outside it is named from itself); stops at the server's limits
  --model ID         the model, e.g. MiniMax-M2 or offline-demo (default: the server's)
  --max-turns N      stop after N model turns (default: the server's, 25)
  --wait             follow the run to its end (progress on stderr), then print the patch
  --apply            with --wait: write the changed files instead of printing the patch
  --resume           let the server resume the run when the server running it stops (the
                     session's "resume interrupted runs" setting; off without this flag);
                     with --wait, a run cut off so is followed into the run that resumes it
  --reconnect-for S  with --wait: when the event stream drops (a restart, a deploy, an
                     instance lost behind a load balancer), keep reconnecting for up to S
                     seconds, resuming where it left off (default 90: enough for another
                     instance to take over a dead one's run; 0: give up at once, exit 2);
                     with --resume, also how long to wait for the run that resumes a cut-off one
  --url URL          the Interleave server (default: $INTERLEAVE_URL or http://localhost:3000)

Environment: INTERLEAVE_TOKEN, an API token (ilv_…, made in the app under Settings →
Access), is sent as "Authorization: Bearer …"; the session is made in the token's
workspace. INTERLEAVE_URL sets the default --url.`;

/**
 * Names never uploaded from inside a folder: the server skips the same ones
 * (lib/project/intake.ts IGNORED_FOLDERS and IGNORED_FILES; test/cli.test.ts keeps the two
 * lists equal), so sending them only counted against the upload's limits.
 */
const SKIPPED_FOLDERS = new Set([".git", "node_modules", "__MACOSX"]);
const SKIPPED_FILES = new Set([".DS_Store", "Thumbs.db"]);
const FINISHED = new Set(["done", "failed", "cancelled"]);
/** How long --wait keeps reconnecting a dropped event stream by default, in seconds. */
const RECONNECT_FOR_S = 90;
/** The longest delay setTimeout keeps (2^31 - 1 ms, 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Pauses before each reconnect of one outage, in ms; the last repeats. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

class UsageError extends Error {}

/** A refusal from the server: its JSON error message, or the status. */
class ServerError extends Error {}

/** stdout refused what was written to it (its reader gone: EPIPE; a bad descriptor: EBADF; a full disk: ENOSPC). */
class OutputError extends Error {}

/**
 * Whether this process started with its stdout closed (`>&-`): Node then opens /dev/null
 * in its place, read and write (a shell's `> /dev/null` opens it write-only), so whatever
 * is printed is lost without an error. Linux only (/proc); elsewhere, and when /proc can't
 * be read, false. bin/interleave.mjs asks at start and tells `main`.
 */
export function stdoutWasClosed() {
  if (process.platform !== "linux") return false;
  try {
    if (readlinkSync("/proc/self/fd/1") !== "/dev/null") return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync("/proc/self/fdinfo/1", "utf8"));
    // O_ACCMODE 3, O_RDWR 2
    return flags !== null && (Number.parseInt(flags[1] ?? "0", 8) & 3) === 2;
  } catch {
    return false;
  }
}

/**
 * Writes `text` (what it is, and where else to get it) to stdout and resolves once it is
 * written; rejects with an OutputError naming the error's code when stdout refuses it. A write error is also
 * emitted as stdout's 'error' event, which would end the process with a stack trace (and
 * exit 1, the code of a failed run) after `main` had returned 0: a listener takes it.
 */
function writeStdout(text, what, elsewhere = "") {
  if (process.stdout.listenerCount("error") === 0) process.stdout.on("error", () => {});
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (!error) return resolve();
      reject(new OutputError(`could not write ${what} to stdout (${error.code ?? error.message})${elsewhere}`));
    });
  });
}

/** The options of `interleave run`, for node:util's parseArgs; only --files may be repeated. */
const RUN_OPTIONS = {
  task: { type: "string" },
  files: { type: "string", multiple: true, default: [] },
  model: { type: "string" },
  "max-turns": { type: "string" },
  wait: { type: "boolean", default: false },
  apply: { type: "boolean", default: false },
  resume: { type: "boolean", default: false },
  "reconnect-for": { type: "string" },
  url: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
};

/**
 * The options of `interleave run`, validated: `{ help: true }`, or `{ help: false, task,
 * files, model, maxTurns, wait, apply, resume, reconnectForMs, url }`. Throws UsageError,
 * also for an option that takes a value given twice (`--task a --task b`).
 */
export function parseRunArgs(argv) {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: RUN_OPTIONS,
  });
  // parseArgs keeps the last of a repeated option: a second --task or --url would silently win
  const seen = new Set();
  for (const token of tokens) {
    const option = token.kind === "option" ? RUN_OPTIONS[token.name] : undefined;
    if (option?.type !== "string" || option.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} was given more than once: give it once`);
    seen.add(token.name);
  }
  if (values.help) return { help: true };
  if (positionals[0] !== "run" || positionals.length > 1) throw new UsageError("the only command is `run`");
  if (!values.task?.trim()) throw new UsageError("--task is required");
  if (values.apply && !values.wait) throw new UsageError("--apply needs --wait: the files exist once the run ends");
  const maxTurns = values["max-turns"] === undefined ? undefined : Number(values["max-turns"]);
  if (maxTurns !== undefined && !(Number.isInteger(maxTurns) && maxTurns > 0)) {
    throw new UsageError("--max-turns must be a positive whole number");
  }
  const reconnectFor = values["reconnect-for"] === undefined ? RECONNECT_FOR_S : Number(values["reconnect-for"]);
  if (!(Number.isFinite(reconnectFor) && reconnectFor >= 0)) {
    throw new UsageError("--reconnect-for must be a number of seconds, 0 or more");
  }
  const url = (values.url ?? process.env.INTERLEAVE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:$/.test(URL.parse(url)?.protocol ?? "")) {
    throw new UsageError(`--url must be an http:// or https:// address, e.g. http://localhost:3000 (got ${url})`);
  }
  return {
    help: false,
    task: values.task,
    files: values.files,
    model: values.model,
    maxTurns,
    wait: values.wait,
    apply: values.apply,
    resume: values.resume,
    reconnectForMs: reconnectFor * 1000,
    url,
  };
}

/** What a session may start with when the server doesn't say: PROJECT_MAX_BYTES and PROJECT_MAX_FILES's defaults. */
const DEFAULT_PROJECT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxFiles: 2000 };

/**
 * The most a new-session upload may weigh, in bytes: twice the text limit (binary files are
 * sent, then skipped) plus 1 MiB, as the server counts it (docs/starting-files.md, "Limits").
 */
const uploadLimit = (limits) => limits.maxBytes * 2 + 1024 * 1024;

/** Bytes as the server's refusals write them ("1.0 MB", "0.50 MB"). */
const mb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether the server keeps `bytes` as text, as it decides (lib/project/intake.ts): no NUL byte, valid UTF-8. */
function isText(bytes) {
  if (bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Why a file can't be read, in words, from a Node error's code. */
function unreadableReason(error) {
  if (error?.code === "ENOENT") return "no such file or folder";
  if (error?.code === "EACCES" || error?.code === "EPERM") return "permission denied";
  return error?.code ?? error?.message ?? String(error);
}

/**
 * Why the file at project path `path` is not uploaded, or null: a name the server would
 * store as another (it reads `\` as a folder separator and trims a path's ends, so the
 * file would be renamed, or laid over one with that name), or — `inFolder`, found while
 * walking a folder — a `.zip`, which the server unpacks into the project as its files
 * (lib/project/form.ts); a .zip given by name is sent, to start from its files.
 */
function notUploaded(path, inFolder) {
  const stored = path.trim().replaceAll("\\", "/");
  if (stored !== path) {
    return `the server would store it as ${stored} (\\ separates folders there, and a path's ends are trimmed); rename it to upload it`;
  }
  if (inFolder && path.toLowerCase().endsWith(".zip")) {
    return "a .zip (the server would unpack it into the project, over its files; the model never sees a binary file); give it by name to start from its files";
  }
  return null;
}

/** `read()`'s answer; a UsageError naming `name` (and where it is) when the filesystem refuses. */
function readOrRefuse(name, absolute, read) {
  try {
    return read();
  } catch (error) {
    throw new UsageError(`can't read ${name} (${absolute}): ${unreadableReason(error)}. Nothing was uploaded.`);
  }
}

/**
 * Every file under the given paths, read, as project path → `{ absolute, bytes }`.
 * A path inside `cwd` keeps the repository's layout (relative to `cwd`); one outside it
 * (`../`, another checkout) is named from the given folder, or is a given file's name: no
 * project path starts at or holds a `..`. Symbolic links inside the given folders are
 * skipped with a note on stderr, as are the files notUploaded names. `limits` are the server's (`{ maxBytes, maxFiles }`, its
 * /api/health): the walk stops, before reading further, once the files pass what the
 * server would take (`maxFiles` text files, `maxBytes` of text, or the upload limit of
 * binary and text together). Throws UsageError for that, for a file that can't be read
 * (gone since its folder was listed, or permission denied), for a given path that is no
 * file or folder (a pipe, a device: one inside a folder is skipped with a note), and for
 * two files that would be uploaded under one path, or one file under two (`--files src
 * --files ..`).
 */
export function collectFiles(paths, cwd, limits = DEFAULT_PROJECT_LIMITS) {
  const out = new Map();
  /** the project path each file read has, by its absolute path */
  const pathOf = new Map();
  const sent = { bytes: 0, textBytes: 0, textFiles: 0 };
  for (const given of paths) {
    const asGiven = resolve(cwd, given);
    const rootStat = readOrRefuse(given, asGiven, () => statSync(asGiven));
    const inside = withinCwd(cwd, asGiven);
    const root = inside ?? asGiven;
    const base = inside ? cwd : rootStat.isDirectory() ? root : dirname(root);
    const tooMuch = (what) =>
      new UsageError(
        `--files ${given}: ${what}, the most this server takes; stopped before reading the rest. Name the folders you mean, and leave out generated, vendored or binary files. Nothing was uploaded.`,
      );
    const add = (path, absolute, size) => {
      const earlier = out.get(path);
      if (earlier?.absolute === absolute) return; // named twice (`--files src --files src/a.ts`)
      if (earlier) {
        throw new UsageError(
          `${absolute} and ${earlier.absolute} would both be uploaded as ${path} (a folder outside the current one is named from itself): give folders whose files don't meet. Nothing was uploaded.`,
        );
      }
      const named = pathOf.get(absolute);
      if (named !== undefined) {
        throw new UsageError(
          `${absolute} would be uploaded twice, as ${named} and as ${path} (a folder outside the current one is named from itself): give paths that don't overlap. Nothing was uploaded.`,
        );
      }
      pathOf.set(absolute, path);
      if (sent.bytes + size > uploadLimit(limits)) {
        throw tooMuch(`the files are larger than ${mb(uploadLimit(limits))}, binary ones included`);
      }
      const bytes = readOrRefuse(path, absolute, () => readFileSync(absolute));
      sent.bytes += bytes.length;
      if (isText(bytes)) {
        sent.textBytes += bytes.length;
        sent.textFiles += 1;
        if (sent.textBytes > limits.maxBytes) {
          throw tooMuch(`the project is larger than ${mb(limits.maxBytes)} of text`);
        }
        if (sent.textFiles > limits.maxFiles) {
          throw tooMuch(`the project has more than ${limits.maxFiles.toLocaleString("en-US")} files`);
        }
      }
      out.set(path, { absolute, bytes });
    };
    const projectPath = (absolute) => relative(base, absolute).split(sep).join("/");
    const visit = (absolute, stat) => {
      const path = projectPath(absolute);
      if (stat.isDirectory()) {
        for (const name of readOrRefuse(path || given, absolute, () => readdirSync(absolute)).sort()) {
          const child = join(absolute, name);
          // A symlink inside a folder is not followed (git keeps the link, not what it points at):
          // it may lead out of the repository, to secrets, or round in a loop.
          const link = readOrRefuse(projectPath(child), child, () => lstatSync(child));
          if ((link.isFile() ? SKIPPED_FILES : SKIPPED_FOLDERS).has(name)) continue;
          if (link.isSymbolicLink()) {
            process.stderr.write(`skipped ${projectPath(child)}: a symbolic link (not followed)\n`);
          } else {
            visit(child, link);
          }
        }
      } else if (stat.isFile()) {
        const why = notUploaded(path, absolute !== root);
        if (why) process.stderr.write(`skipped ${path}: ${why}\n`);
        else add(path, absolute, stat.size);
      } else if (absolute !== root) {
        process.stderr.write(`skipped ${path}: not a file or folder (a pipe, socket or device)\n`);
      } else {
        throw new UsageError(
          `--files ${given} is not a file or folder (a pipe, socket or device): give files and folders`,
        );
      }
    };
    visit(root, rootStat);
  }
  return out;
}

function headers(extra = {}) {
  const token = process.env.INTERLEAVE_TOKEN;
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

async function call(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: headers(init?.headers) });
  } catch (error) {
    throw new ServerError(`can't reach ${new URL(url).origin}: ${error.cause?.code ?? error.message}`);
  }
  if (!response.ok) throw await refusal(url, response);
  return response;
}

/**
 * An ok response's JSON body, which holds the object `field` (`{ session, … }`, `{ run }`).
 * Throws ServerError when the body is not JSON or lacks it: `url` is not the Interleave
 * API (a wrong --url, a proxy's sign-in page answered 200).
 */
async function answerWith(url, response, field) {
  const type = response.headers.get("content-type") ?? "no content type";
  const body = await response.json().catch(() => null);
  if (body?.[field] === null || typeof body?.[field] !== "object") {
    throw new ServerError(
      `${url} did not answer as an Interleave server does (${type}, no "${field}" in it): is --url the Interleave server?`,
    );
  }
  return body;
}

/** The ServerError for a response that is not ok: the server's JSON error message, or the status. */
async function refusal(url, response) {
  const body = await response.json().catch(() => null);
  if (response.status === 401) {
    return new ServerError(
      process.env.INTERLEAVE_TOKEN
        ? "the server refused INTERLEAVE_TOKEN: it is unknown, revoked or expired. Make a new one under Settings → Access."
        : "the server wants an API token: set INTERLEAVE_TOKEN to one made under Settings → Access.",
    );
  }
  return new ServerError(body?.error?.message ?? `${url} answered ${response.status}`);
}

/** A whole number of at least 1, or undefined. */
const count = (value) => (Number.isSafeInteger(value) && value >= 1 ? value : undefined);

/**
 * What the server says of itself at GET /api/health: `{ database, projectLimits }` —
 * `database` "postgres", "pglite" (the embedded database) or null; `projectLimits`
 * `{ maxBytes, maxFiles }`, the documented defaults when it doesn't say. A server that
 * says nothing (an older one, or its database is down: creating the session then answers
 * why) gets null and the defaults. Throws ServerError when it can't be reached.
 */
async function serverFacts(url) {
  let response;
  try {
    response = await fetch(`${url}/api/health`, { headers: headers() });
  } catch (error) {
    throw new ServerError(`can't reach ${url}: ${error.cause?.code ?? error.message}`);
  }
  if (!response.ok) await response.body?.cancel();
  const body = response.ok ? await response.json().catch(() => null) : null;
  const limits = body?.projectLimits;
  return {
    database: body?.database === "postgres" || body?.database === "pglite" ? body.database : null,
    projectLimits: {
      maxBytes: count(limits?.maxBytes) ?? DEFAULT_PROJECT_LIMITS.maxBytes,
      maxFiles: count(limits?.maxFiles) ?? DEFAULT_PROJECT_LIMITS.maxFiles,
    },
  };
}

/** Creates the session with its starting files (and, with --resume, has it resume runs its server cut off); returns the session. */
async function createSession(options, files) {
  const form = new FormData();
  form.set("task", options.task);
  if (options.model) form.set("modelId", options.model);
  if (options.maxTurns) form.set("maxTurns", String(options.maxTurns));
  for (const [path, { bytes }] of files) {
    form.append("file", new Blob([bytes]), path.split("/").pop());
    form.append("path", path);
  }
  const created = `${options.url}/api/sessions`;
  const response = await call(created, { method: "POST", body: form });
  const { session, startingFiles } = await answerWith(created, response, "session");
  for (const skipped of startingFiles?.skipped ?? [])
    process.stderr.write(`skipped ${skipped.path}: ${skipped.reason}\n`);
  if (!options.resume) return session;
  const setting = `${options.url}/api/sessions/${session.id}`;
  const patched = await call(setting, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ resumeInterrupted: true }),
  });
  return (await answerWith(setting, patched, "session")).session;
}

/**
 * The stream's SSE messages that carry data, as `{ id, data }`: `id` the message's `id:`
 * field (the server's sequence number, for Last-Event-ID) or null, `data` the parsed JSON;
 * and its heartbeats (a comment, `: ping`) as `{ id: null, data: null }`.
 */
async function* sseMessages(response) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      const data = lines
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      const id =
        lines
          .findLast((line) => line.startsWith("id:"))
          ?.slice(3)
          .trim() ?? null;
      if (data) yield { id, data: JSON.parse(data) };
      else if (lines.some((line) => line.startsWith(":"))) yield { id: null, data: null };
    }
  }
}

/** The event stream dropped or could not be opened, in a way a reconnect may mend. */
class StreamLost extends Error {}

/**
 * Opens the session's event stream, resuming after `lastEventId` when there is one (the
 * server then sends only what was missed, or a fresh snapshot when it no longer holds it);
 * `signal` aborts it, the response's body included.
 * Throws StreamLost when the server can't be reached or answers 5xx/429 (restarting, or a
 * load balancer with no instance yet); ServerError for any other refusal (a revoked token,
 * a deleted session), which no reconnect mends.
 */
async function openEvents(url, lastEventId, signal) {
  let response;
  try {
    response = await fetch(url, {
      signal,
      headers: headers({
        accept: "text/event-stream",
        ...(lastEventId === null ? {} : { "last-event-id": lastEventId }),
      }),
    });
  } catch (error) {
    throw new StreamLost(error.cause?.code ?? error.message);
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    throw new StreamLost(`it answered ${response.status}`);
  }
  if (!response.ok) throw await refusal(url, response);
  return response;
}

/** One line of progress for a step that just finished, or null. */
function describeStep(step) {
  if (step.kind === "tool_call") {
    const file = step.providerData?.file?.path ?? safePath(step.providerData?.toolInput);
    return `${step.providerData?.toolName ?? "tool"}${file ? ` ${file}` : ""}`;
  }
  if (step.kind === "tool_result" && step.providerData?.isError) return `  ↳ error: ${step.content.split("\n")[0]}`;
  if (step.kind === "thinking") return `thinking (${step.content.length} chars)`;
  if (step.kind === "text") return `answer: ${step.content.split("\n").find((line) => line.trim()) ?? ""}`;
  return null;
}

function safePath(input) {
  try {
    return JSON.parse(input ?? "").path;
  } catch {
    return undefined;
  }
}

/** A run its server cut off: the server resumes such a run when the session allows it. */
const isInterrupted = (run) => run.status === "failed" && run.errorCode === "unavailable:server_stopped";

/**
 * What --wait follows, fed the stream's messages: run `runId` to its end — and, when it ends
 * cut off by its server while the session resumes runs (`resumes`, then as the snapshot and
 * `session.updated` say), the run that resumes it (its `resumesRunId`, or the cut-off run's
 * `resumedByRunId`), and so on. `take(message)` answers the last run of that chain once it
 * has ended for good, else null; reports each finished step of the chain's runs once on
 * stderr; throws ServerError on `ended` (the token was revoked, or the session deleted).
 * While it waits for a resume, `waitingSince` is when that wait began (ms), else null;
 * `giveUp()` answers the cut-off run when no resume came.
 */
class RunChain {
  constructor(runId, resumes, waitForMs) {
    /** the runs followed, oldest first: each one resumes the one before */
    this.chain = [runId];
    /** every run of the session as last heard of, by id */
    this.runs = new Map();
    this.resumes = resumes;
    this.waitForMs = waitForMs;
    this.waitingSince = null;
    this.reported = new Set();
  }

  /** The run the chain is on now. */
  get current() {
    return this.chain.at(-1);
  }

  /** The chain's output tokens, summed over its runs as last heard of. */
  outputTokens() {
    return this.chain.reduce((sum, id) => sum + (this.runs.get(id)?.outputTokens ?? 0), 0);
  }

  take(message) {
    if (message.type === "snapshot") {
      this.heed(message.session);
      for (const run of message.runs) this.runs.set(run.id, run);
      // the runs first: the snapshot may hold the steps of a run that resumes the one followed
      const ended = this.advance();
      for (const step of message.steps) this.report(step);
      return ended;
    }
    if (message.type === "step.created" || message.type === "step.updated") {
      this.report(message.step);
    } else if (message.type === "run.updated") {
      const { run } = message;
      const known = this.runs.get(run.id)?.resumedByRunId;
      // an update without the link says nothing about it: a run's continuation never changes
      this.runs.set(run.id, run.resumedByRunId == null && known ? { ...run, resumedByRunId: known } : run);
    } else if (message.type === "session.updated") {
      this.heed(message.session);
    } else if (message.type === "ended") {
      throw new ServerError(message.message);
    }
    return this.advance();
  }

  /** Gives up waiting for a resume: the cut-off run, as it ended. */
  giveUp() {
    process.stderr.write(`no run resumed run ${this.current} within ${this.waitForMs / 1000} s\n`);
    return this.runs.get(this.current);
  }

  heed(session) {
    const resumes = session?.settings?.resumeInterrupted;
    if (typeof resumes === "boolean") this.resumes = resumes;
  }

  report(step) {
    if (!this.chain.includes(step.runId) || step.status === "streaming" || this.reported.has(step.id)) return;
    this.reported.add(step.id);
    const line = describeStep(step);
    if (line) process.stderr.write(`• ${line}\n`);
  }

  /** Moves along the chain as far as what is known allows; the last run once it has ended for good, else null. */
  advance() {
    for (;;) {
      const run = this.runs.get(this.current);
      if (!run || !FINISHED.has(run.status)) return null;
      const next =
        run.resumedByRunId ?? [...this.runs.values()].find((other) => other.resumesRunId === run.id)?.id ?? null;
      if (next !== null) {
        process.stderr.write(`run ${run.id} was interrupted; following its resume ${next}\n`);
        this.chain.push(next);
        this.waitingSince = null;
        continue;
      }
      if (!(isInterrupted(run) && this.resumes && this.waitForMs > 0)) return run;
      if (this.waitingSince === null) {
        this.waitingSince = Date.now();
        process.stderr.write(
          `run ${run.id} was interrupted (its server stopped); waiting up to ${this.waitForMs / 1000} s for the run that resumes it…\n`,
        );
      }
      return null;
    }
  }
}

/**
 * Follows the session's events until run `runId` ends — with its resumes, see RunChain —
 * and returns `{ run, outputTokens }`: the chain's last run as it ended, and the output
 * tokens of all its runs. When the stream drops or the server closes it first (a restart,
 * a deploy, a lost instance), it reconnects with Last-Event-ID, pausing RECONNECT_DELAYS_MS
 * between tries, until `options.reconnectForMs` have passed since the outage began. An
 * outage ends once a reconnected stream brings a message it had not seen (a new `id:`) or
 * a heartbeat (sent every 15 s), so a server that only answers and drops again does not
 * hold it forever. A wait for the run that resumes a cut-off one lasts
 * `options.reconnectForMs` too (0: none), then the cut-off run is the outcome. Throws
 * ServerError when the outage outlasts the bound, or the server refuses the stream or
 * ends it (`ended`).
 */
async function followRun(options, sessionId, runId) {
  const url = `${options.url}/api/sessions/${sessionId}/events`;
  const chain = new RunChain(runId, options.resume, options.reconnectForMs);
  const result = (run) => ({ run, outputTokens: chain.outputTokens() });
  let lastEventId = null;
  /** when the current outage began (ms), null while the stream is up */
  let lostAt = null;
  let tries = 0;
  for (;;) {
    let why;
    const connection = new AbortController();
    let waitTimer;
    // the wait for a resume ends the connection when it runs out, whatever the stream does
    const armWait = () => {
      if (waitTimer !== undefined || chain.waitingSince === null) return;
      const left = chain.waitingSince + options.reconnectForMs - Date.now();
      // a timer longer than MAX_TIMER_MS fires at once: a longer wait re-arms when it runs out
      waitTimer = setTimeout(
        () => {
          if (left > MAX_TIMER_MS) {
            waitTimer = undefined;
            armWait();
          } else {
            connection.abort();
          }
        },
        Math.min(left, MAX_TIMER_MS),
      );
    };
    try {
      armWait();
      const response = await openEvents(url, lastEventId, connection.signal);
      for await (const { id, data } of sseMessages(response)) {
        const news = id !== null && id !== lastEventId;
        if (news) lastEventId = id;
        if ((news || data === null) && lostAt !== null) {
          process.stderr.write("reconnected\n");
          lostAt = null;
          tries = 0;
        }
        if (data === null) continue;
        const ended = chain.take(data);
        if (ended) return result(ended); // leaving the loop cancels the stream
        armWait();
      }
      why = "the server closed the event stream";
    } catch (error) {
      if (error instanceof ServerError) throw error;
      why = error instanceof StreamLost ? error.message : (error.cause?.code ?? error.message);
    } finally {
      clearTimeout(waitTimer);
    }
    const now = Date.now();
    const waitEnds = chain.waitingSince === null ? Infinity : chain.waitingSince + options.reconnectForMs;
    if (connection.signal.aborted || now >= waitEnds) return result(chain.giveUp());
    if (lostAt === null) {
      lostAt = now;
      if (options.reconnectForMs > 0) {
        process.stderr.write(
          `lost the event stream (${why}); reconnecting for up to ${options.reconnectForMs / 1000} s…\n`,
        );
      }
    }
    const left = lostAt + options.reconnectForMs - now;
    if (left <= 0) {
      throw new ServerError(
        `lost the connection to ${options.url} before the run ended (${why}); the run may still be going: ${options.url}/s/${sessionId}`,
      );
    }
    await new Promise((done) =>
      setTimeout(
        done,
        Math.min(RECONNECT_DELAYS_MS[Math.min(tries, RECONNECT_DELAYS_MS.length - 1)], left, waitEnds - now),
      ),
    );
    tries += 1;
  }
}

/** True when `path` lies inside `root` (both absolute); a `..` name in the folder is fine. */
function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}

/**
 * `absolute` as a path under `cwd` when it lies inside it, as written or once symbolic links
 * are resolved (a checkout reached through a link: `"$PWD/src"` names the link, the
 * process's folder is its target); null when it lies outside (or can't be resolved).
 */
function withinCwd(cwd, absolute) {
  if (isInside(cwd, absolute)) return absolute;
  try {
    const realCwd = realpathSync(cwd);
    const real = realpathSync(absolute);
    return isInside(realCwd, real) ? join(cwd, relative(realCwd, real)) : null;
  } catch {
    return null;
  }
}

/**
 * Why writing `target` would land outside `root` once symlinks are followed, or null: its
 * nearest existing ancestor (or the file itself, when it is there) must resolve inside `root`.
 */
function escapesThroughLinks(root, target) {
  let existing = target;
  while (!existsSync(existing)) existing = dirname(existing);
  return isInside(realpathSync(root), realpathSync(existing))
    ? null
    : "it would be written outside this folder (through a symlink)";
}

/** Writes the branch's files that differ from what is on disk; returns their paths. */
async function applyFiles(options, sessionId, cwd) {
  const download = `${options.url}/api/sessions/${sessionId}/download`;
  const response = await call(download);
  let files;
  try {
    files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  } catch {
    throw new ServerError(`${download} did not answer with a .zip of the files; nothing was written`);
  }
  const written = [];
  for (const [path, bytes] of Object.entries(files)) {
    const target = resolve(cwd, path);
    const outside = isInside(cwd, target) ? escapesThroughLinks(cwd, target) : "it points outside this folder";
    if (outside) {
      process.stderr.write(`skipped ${path}: ${outside}\n`);
      continue;
    }
    // bytes, not text: decoding would drop a byte-order mark and rewrite a file nobody changed
    let current = null;
    try {
      current = readFileSync(target);
    } catch {}
    if (current?.equals(bytes)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    written.push(path);
  }
  return written;
}

/**
 * Runs the CLI with `argv` (without node and the script); resolves to the exit code.
 * `stdoutClosed`: the process started with stdout closed (stdoutWasClosed), so nothing may
 * be printed there.
 */
export async function main(argv, cwd = process.cwd(), { stdoutClosed = false } = {}) {
  let options;
  try {
    options = parseRunArgs(argv);
  } catch (error) {
    process.stderr.write(`interleave: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    // what goes to stdout would be lost: say so before a session is made or tokens spent
    if (stdoutClosed && (options.help || !options.apply)) {
      throw new UsageError(
        `stdout is closed, so ${options.help ? "the usage" : options.wait ? "the patch" : "the session link"} could not be printed: give stdout a file or a pipe (> run.patch), or use --wait --apply to write the changed files instead`,
      );
    }
    if (options.help) {
      await writeStdout(`${USAGE}\n`, "the usage");
      return 0;
    }
    // --apply writes relative to the current folder; a folder outside it is named from itself
    const outside = options.apply && options.files.find((given) => withinCwd(cwd, resolve(cwd, given)) === null);
    if (outside) {
      throw new UsageError(
        `--apply writes into the current folder, and --files ${outside} is outside it: run interleave from a folder that holds every --files path, or leave out --apply and apply the patch there`,
      );
    }
    const server = await serverFacts(options.url);
    if (options.resume && server.database === "pglite") {
      // one process owns the embedded database: a restart finishes its cut-off runs and resumes none
      process.stderr.write(
        "--resume: this server keeps its data in the embedded database (PGlite), where a run cut off by a restart is never resumed (Retry in the app resumes it); the session is left as it is, and a cut-off run ends the wait at once\n",
      );
      options = { ...options, resume: false };
    }
    const files = collectFiles(options.files, cwd, server.projectLimits);
    const session = await createSession(options, files);
    const link = `${options.url}/s/${session.id}`;
    process.stderr.write(`session ${link} (${files.size} files, model ${session.modelId})\n`);
    const runs = `${options.url}/api/sessions/${session.id}/runs`;
    const started = await call(runs, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const { run } = await answerWith(runs, started, "run");
    if (!options.wait) {
      await writeStdout(`${link}\n`, "the session link", `: it is ${link}`);
      return 0;
    }
    const { run: ended, outputTokens } = await followRun(options, session.id, run.id);
    if (ended.status !== "done") {
      process.stderr.write(`run ${ended.status}: ${ended.errorMessage ?? "no reason given"}\n${link}\n`);
      return 1;
    }
    if (options.apply) {
      const written = await applyFiles(options, session.id, cwd);
      process.stderr.write(`wrote ${written.length} files${written.length ? `: ${written.join(", ")}` : ""}\n`);
    } else {
      const patchUrl = `${options.url}/api/sessions/${session.id}/patch`;
      const patch = await call(patchUrl);
      await writeStdout(await patch.text(), "the patch", `: it is at ${patchUrl}`);
    }
    process.stderr.write(`done in ${outputTokens} output tokens · ${link}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ServerError || error instanceof OutputError) {
      process.stderr.write(`interleave: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
