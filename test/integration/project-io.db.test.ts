import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { strFromU8, unzipSync, zipSync } from "fflate";
import { afterAll, describe, expect, test } from "vitest";
import * as comment from "@/app/api/sessions/[id]/comments/[commentId]/route";
import * as comments from "@/app/api/sessions/[id]/comments/route";
import * as download from "@/app/api/sessions/[id]/download/route";
import * as exporter from "@/app/api/sessions/[id]/export/route";
import * as saveFile from "@/app/api/sessions/[id]/files/route";
import * as patch from "@/app/api/sessions/[id]/patch/route";
import * as reviews from "@/app/api/sessions/[id]/reviews/route";
import * as startingContent from "@/app/api/sessions/[id]/starting-files/content/route";
import * as starting from "@/app/api/sessions/[id]/starting-files/route";
import * as testRuns from "@/app/api/sessions/[id]/test-runs/route";
import * as importer from "@/app/api/sessions/import/route";
import * as collection from "@/app/api/sessions/route";
import { buildModelHistory } from "@/lib/agent/history";
import { readDecisions } from "@/lib/db/approvals";
import { getDatabase } from "@/lib/db/client";
import { listComments } from "@/lib/db/comments";
import { listBranchReviews } from "@/lib/db/reviews";
import { loadStartingFiles } from "@/lib/db/starting-files";
import { listSessionSteps } from "@/lib/db/steps";
import { resolveCaller } from "@/lib/http/caller";
import { indexSteps, pathTo } from "@/lib/steps/tree";
import { callRoute } from "../api";
import { asTestUser } from "../auth";
import { testWorkspaceId } from "../workspace";

const enc = (text: string) => new TextEncoder().encode(text);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new-session form as the browser and the CLI send it. */
function form(task: string, files: Array<[string, Uint8Array | string]>): FormData {
  const body = new FormData();
  body.set("task", task);
  for (const [path, content] of files) {
    body.append("file", new Blob([typeof content === "string" ? content : content.slice()]), path.split("/").pop());
    body.append("path", path);
  }
  return body;
}

async function postForm(body: FormData) {
  const request = await asTestUser(new Request("http://localhost/api/sessions", { method: "POST", body }));
  const response = await collection.POST(request, undefined as never);
  return { status: response.status, json: await response.json() };
}

async function sessionCount(): Promise<number> {
  const { prisma } = await getDatabase();
  return prisma.session.count();
}

const started = {
  "src/sum.ts": "export function sum(a, b) {\n  return a + b;\n}\n",
  "README.md": "# Sum\n",
};

describe("starting files", () => {
  test("a file uploaded with a byte-order mark downloads byte for byte (the embedded database read it back without)", async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("// Windows editor\nexport {};\n")]);
    const { status, json } = await postForm(form("Keep my BOM", [["src/a.ts", withBom]]));
    expect(status).toBe(201);
    const response = await download.GET(await asTestUser(new Request("http://localhost/")), {
      params: Promise.resolve({ id: json.session.id }),
    });
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(files["src/a.ts"]).toEqual(withBom);
  });

  test("a folder's files, a zip and a snippet become the project at the task step", async () => {
    const zip = zipSync({ "lib-main/lib/util.ts": enc("export const id = (x) => x;\n") });
    const { status, json } = await postForm(
      form("Add types", [
        ["src/sum.ts", started["src/sum.ts"]],
        ["README.md", started["README.md"]],
        ["assets/logo.png", new Uint8Array([0x89, 0x50, 0, 0])],
        ["lib.zip", zip],
        ["snippet.py", "print('hi')\n"],
      ]),
    );
    expect(status).toBe(201);
    expect(json.startingFiles).toMatchObject({ fileCount: 4, skipped: [{ path: "assets/logo.png" }] });
    const id = json.session.id;

    const manifest = await callRoute(starting.GET, { params: { id } });
    expect(manifest.json.startingFiles.files.map((f: { path: string }) => f.path)).toEqual([
      "README.md",
      "lib/util.ts",
      "snippet.py",
      "src/sum.ts",
    ]);
    expect(manifest.json.startingFiles.files[0]).not.toHaveProperty("content");

    const content = await callRoute(startingContent.GET, {
      params: { id },
      path: "/?path=src/sum.ts&path=lib/util.ts",
    });
    expect(content.json.files).toEqual({
      "src/sum.ts": started["src/sum.ts"],
      "lib/util.ts": "export const id = (x) => x;\n",
    });
    const missing = await callRoute(startingContent.GET, { params: { id }, path: "/?path=nope.ts" });
    expect(missing.status).toBe(404);
  });

  test("a person's test run at the task step runs the starting files' tests", async () => {
    const { json } = await postForm(
      form("Check the tests", [
        ["src/sum.ts", "export const sum = (a: number, b: number) => a + b;\n"],
        [
          "src/sum.test.ts",
          'import { expect, test } from "vitest";\nimport { sum } from "./sum";\ntest("adds", () => expect(sum(1, 2)).toBe(3));\n',
        ],
      ]),
    );
    const run = await callRoute(testRuns.POST, {
      method: "POST",
      params: { id: json.session.id },
      body: { afterStepId: json.session.activeLeafId },
    });
    expect(run.status).toBe(201);
    expect(run.json.report.testFiles).toEqual(["src/sum.test.ts"]);
    expect(run.json.report.counts).toMatchObject({ passed: 1, failed: 0 });
  });

  test("traversal → 400 and oversize (a zip bomb) → 413, and no session is created", async () => {
    const before = await sessionCount();
    const traversal = await postForm(form("x", [["../../etc/passwd", "root"]]));
    expect(traversal.status).toBe(400);
    expect(traversal.json.error.code).toBe("bad_request:path");
    expect(traversal.json.error.message).toMatch(/outside the project/);

    const bomb = zipSync({ "big.txt": new Uint8Array(21 * 1024 * 1024).fill(0x61) }, { level: 9 });
    const oversize = await postForm(form("x", [["big.zip", bomb]]));
    expect(oversize.status).toBe(413);
    expect(oversize.json.error.message).toMatch(/larger than 20\.0 MB/);

    const mismatched = new FormData();
    mismatched.set("task", "x");
    mismatched.append("file", new Blob(["a"]), "a.ts");
    expect((await postForm(mismatched)).status).toBe(400);
    expect(await sessionCount()).toBe(before);
    // the same minimal file, unchanged, imports
    expect((await callRoute(importer.POST, { method: "POST", rawBody: exportWith({}) })).status).toBe(201);
  });
});

/** A minimal valid export whose one step is changed by `step`. */
const aComment = {
  id: "c1",
  stepId: "a",
  parentId: null,
  by: "Ana",
  body: "Why this?",
  anchor: null,
  resolvedAt: null,
  editedAt: null,
  createdAt: "2026-11-30T18:00:00.000Z",
};
const aReview = { leafId: "a", verdict: "approved", summary: "", by: "Ana", createdAt: "2026-11-30T18:00:00.000Z" };
const anApproval = {
  stepId: "a",
  status: "approved",
  leafId: "a",
  editedContent: null,
  comment: null,
  by: null,
  decidedAt: null,
  createdAt: "2026-11-30T18:00:00.000Z",
};

/** The minimal export with review records added. */
function withReview(review: Record<string, unknown>): string {
  return JSON.stringify({ ...JSON.parse(exportWith({})), ...review });
}

function exportWith(step: Record<string, unknown>): string {
  return JSON.stringify({
    format: "interleave.session",
    version: 1,
    exportedAt: "2026-11-30T18:00:00.000Z",
    session: { title: "t", modelId: "offline-demo", settings: { maxTurns: 5 }, activeLeafId: null },
    startingFiles: { files: [], skipped: [] },
    steps: [
      {
        id: "a",
        parentId: null,
        kind: "task",
        origin: "human",
        status: "done",
        content: "task",
        turn: null,
        providerData: null,
        editedFromId: null,
        inputTokens: null,
        outputTokens: null,
        reasoningTokens: null,
        costUsd: null,
        createdAt: "2026-11-30T18:00:00.000Z",
        firstTokenAt: null,
        finishedAt: null,
        ...step,
      },
    ],
  });
}

describe("taking it out and bringing it back", () => {
  test("patch applies with git to the starting files; zip matches the files at each step; export → import is identical", async () => {
    const { json } = await postForm(form("Type the sum", Object.entries(started)));
    const id = json.session.id;
    const first = await callRoute(saveFile.POST, {
      method: "POST",
      params: { id },
      body: {
        afterStepId: json.session.activeLeafId,
        path: "src/sum.ts",
        content: "export const sum = (a: number, b: number) => a + b;\n",
      },
    });
    const second = await callRoute(saveFile.POST, {
      method: "POST",
      params: { id },
      body: { afterStepId: first.json.step.id, path: "src/sum.test.ts", content: "test('sum', () => {});\n" },
    });

    // patch at the branch's end, applied with real git to a checkout of the starting files
    const patchResponse = await patch.GET(await asTestUser(new Request("http://localhost/?download=1")), {
      params: Promise.resolve({ id }),
    });
    expect(patchResponse.headers.get("content-disposition")).toMatch(/attachment; filename="type-the-sum\.patch"/);
    const text = await patchResponse.text();
    const repo = mkdtempSync(join(tmpdir(), "interleave-apply-"));
    dirs.push(repo);
    for (const [path, content] of Object.entries(started)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    }
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(join(repo, "x.patch"), text);
    execFileSync("git", ["apply", "x.patch"], { cwd: repo });
    expect(readFileSync(join(repo, "src/sum.ts"), "utf8")).toBe(
      "export const sum = (a: number, b: number) => a + b;\n",
    );
    expect(readFileSync(join(repo, "src/sum.test.ts"), "utf8")).toBe("test('sum', () => {});\n");

    // zip at an earlier step holds the files as they were there
    const zipAt = async (step?: string) => {
      const response = await download.GET(
        await asTestUser(new Request(`http://localhost/${step ? `?step=${step}` : ""}`)),
        {
          params: Promise.resolve({ id }),
        },
      );
      expect(response.headers.get("content-type")).toBe("application/zip");
      const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
      return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]));
    };
    expect(await zipAt(json.session.activeLeafId)).toEqual(started);
    expect(await zipAt(first.json.step.id)).toEqual({
      ...started,
      "src/sum.ts": "export const sum = (a: number, b: number) => a + b;\n",
    });
    expect(Object.keys(await zipAt())).toContain("src/sum.test.ts");
    const unknownStep = await download.GET(await asTestUser(new Request("http://localhost/?step=nope")), {
      params: Promise.resolve({ id }),
    });
    expect(unknownStep.status).toBe(404);

    // Markdown of the branch on screen
    const md = await exporter.GET(await asTestUser(new Request("http://localhost/?format=markdown")), {
      params: Promise.resolve({ id }),
    });
    const markdown = await md.text();
    expect(markdown).toContain("# Type the sum");
    expect(markdown).toContain("- `src/sum.ts`");
    expect(markdown).toContain("### Note from a person");

    // JSON export → import: same tree, same starting files, same model request
    const exported = await exporter.GET(await asTestUser(new Request("http://localhost/")), {
      params: Promise.resolve({ id }),
    });
    const exportText = await exported.text();
    expect(JSON.parse(exportText)).toMatchObject({ format: "interleave.session", version: 1 });
    const imported = await callRoute(importer.POST, { method: "POST", rawBody: exportText });
    expect(imported.status).toBe(201);
    const copyId = imported.json.session.id;
    expect(copyId).not.toBe(id);

    const shape = async (sessionId: string, leafId: string) => {
      const workspaceId = await testWorkspaceId();
      const steps = await listSessionSteps({ sessionId, workspaceId });
      const path = pathTo(indexSteps(steps), leafId);
      const start = await loadStartingFiles({ sessionId, workspaceId });
      return {
        count: steps.length,
        path: path.map(({ kind, origin, status, content, turn, providerData, createdAt }) => ({
          kind,
          origin,
          status,
          content,
          turn,
          providerData,
          createdAt,
        })),
        request: buildModelHistory(path, { system: "S", startingFiles: start }),
        start: Object.fromEntries(start),
      };
    };
    expect(await shape(copyId, imported.json.session.activeLeafId)).toEqual(await shape(id, second.json.step.id));
    expect(second.json.step.id).not.toBe(imported.json.session.activeLeafId);
  });

  test("the review travels: approvals, comment threads and branch reviews come back with their people's names", async () => {
    const { json } = await postForm(form("Type the sum", Object.entries(started)));
    const id = json.session.id as string;
    const saved = await callRoute(saveFile.POST, {
      method: "POST",
      params: { id },
      body: { afterStepId: json.session.activeLeafId, path: "src/sum.ts", content: "export const sum = 1;\n" },
    });
    const stepId = saved.json.step.id as string;
    const thread = await callRoute(comments.POST, {
      method: "POST",
      params: { id },
      body: { stepId, body: "Why a constant?", anchor: { kind: "file", path: "src/sum.ts", startLine: 1, endLine: 1 } },
    });
    expect(thread.status).toBe(201);
    const threadId = thread.json.comment.id as string;
    await callRoute(comments.POST, {
      method: "POST",
      params: { id },
      body: { stepId, body: "It was a test.", parentId: threadId },
    });
    await callRoute(comment.PATCH, {
      method: "PATCH",
      params: { id, commentId: threadId },
      body: { body: "Why a constant here?", resolved: true },
    });
    await callRoute(comments.POST, {
      method: "POST",
      params: { id },
      body: { stepId: json.session.activeLeafId, body: "Nice task." },
    });
    for (const [verdict, summary] of [
      ["requested", ""],
      ["changes_requested", "Make it a function."],
    ]) {
      const review = await callRoute(reviews.POST, {
        method: "POST",
        params: { id },
        body: { leafId: stepId, verdict, summary },
      });
      expect(review.status).toBe(201);
    }
    const workspaceId = await testWorkspaceId();
    const { prisma } = await getDatabase();
    const caller = await resolveCaller(await asTestUser(new Request("http://localhost/")));
    const user = await prisma.user.findUniqueOrThrow({ where: { id: caller?.userId ?? "" } });
    await prisma.approval.create({
      data: {
        workspaceId,
        sessionId: id,
        stepId,
        status: "approved",
        leafId: stepId,
        editedContent: "export const sum = 2;\n",
        comment: "use 2",
        decidedById: user.id,
        decidedAt: new Date(),
      },
    });
    await prisma.approval.create({
      data: { workspaceId, sessionId: id, stepId: json.session.activeLeafId, status: "pending", leafId: stepId },
    });

    const exported = await exporter.GET(await asTestUser(new Request("http://localhost/")), {
      params: Promise.resolve({ id }),
    });
    const file = JSON.parse(await exported.text());
    expect(file.version).toBe(1);
    expect(file.approvals.map((a: { status: string }) => a.status)).toEqual(["approved", "cancelled"]);
    const imported = await callRoute(importer.POST, { method: "POST", rawBody: JSON.stringify(file) });
    expect(imported.status).toBe(201);
    const copyId = imported.json.session.id as string;
    const copySteps = await listSessionSteps({ sessionId: copyId, workspaceId });
    const copyStep = copySteps.find((step) => step.content === saved.json.step.content && step.kind !== "task");
    const copyTask = copySteps.find((step) => step.kind === "task");
    if (!copyStep || !copyTask) throw new Error("the imported tree lacks the saved step");
    const as = (sessionId: string, saveId: string, taskId: string) => {
      const place = (step: string) => (step === saveId ? "save" : step === taskId ? "task" : "elsewhere");
      return Promise.all([
        listComments({ sessionId, workspaceId }).then((list) =>
          list.map((c) => ({
            on: place(c.stepId),
            reply: c.parentId !== null,
            by: c.authorName,
            body: c.body,
            anchor: c.anchor,
            resolved: c.resolvedAt !== null,
            edited: c.editedAt !== null,
            createdAt: c.createdAt,
          })),
        ),
        listBranchReviews({ sessionId, workspaceId }).then((list) =>
          list.map((r) => ({ on: place(r.leafId), verdict: r.verdict, summary: r.summary, by: r.by, at: r.createdAt })),
        ),
        readDecisions({ sessionId, workspaceId, stepIds: [saveId, taskId] }).then((map) => [...map.values()]),
      ]);
    };
    const original = await as(id, stepId, json.session.activeLeafId);
    expect(original[0]).toHaveLength(3);
    expect(original[1]).toHaveLength(2);
    expect(original[2]).toEqual([
      { decision: "approved", editedContent: "export const sum = 2;\n", comment: "use 2", by: user.name },
    ]);
    expect(await as(copyId, copyStep.id, copyTask.id)).toEqual(original);
    // the pending one came back cancelled (its run did not travel), and no one of this workspace is its author
    const copied = await prisma.approval.findMany({ where: { sessionId: copyId }, orderBy: { createdAt: "asc" } });
    expect(copied.map((a) => [a.status, a.runId, a.decidedById])).toEqual([
      ["approved", null, null],
      ["cancelled", null, null],
    ]);
    // the reply still belongs to its thread in the copy
    const copyComments = await listComments({ sessionId: copyId, workspaceId });
    const copyThread = copyComments.find((c) => c.parentId === null && c.body === "Why a constant here?");
    expect(copyComments.find((c) => c.body === "It was a test.")?.parentId).toBe(copyThread?.id);
  });

  test("an older export's branch review on a step a later step continues is left out, and the answer says so; the rest imports", async () => {
    const exported = JSON.parse(exportWith({}));
    const answer = { ...exported.steps[0], id: "b", parentId: "a", kind: "text", origin: "model", content: "done" };
    const file = {
      ...exported,
      steps: [...exported.steps, answer],
      reviews: [aReview, { ...aReview, leafId: "b", verdict: "changes_requested", summary: "Again.", by: "Ben" }],
    };
    const imported = await callRoute(importer.POST, { method: "POST", rawBody: JSON.stringify(file) });
    expect(imported.status).toBe(201);
    expect(imported.json.notices).toEqual([
      "1 branch review was left out: it was on a step that later steps continue, and a review is of a branch's end (the step no step continues). The rest was imported.",
    ]);
    const workspaceId = await testWorkspaceId();
    const copy = await listBranchReviews({ sessionId: imported.json.session.id, workspaceId });
    expect(copy.map((review) => [review.verdict, review.summary, review.by])).toEqual([
      ["changes_requested", "Again.", "Ben"],
    ]);
    // nothing to say about a file whose reviews are all on branch ends
    const clean = await callRoute(importer.POST, { method: "POST", rawBody: withReview({ reviews: [aReview] }) });
    expect([clean.status, clean.json.notices]).toEqual([201, []]);
  });

  test("foreign, damaged or newer files get a clear 400 and nothing is imported", async () => {
    const before = await sessionCount();
    const cases: Array<[string, RegExp]> = [
      ["not json", /not JSON/],
      [JSON.stringify({ hello: "world" }), /not an Interleave session export/],
      [JSON.stringify({ format: "interleave.session", version: 99 }), /format version 99/],
      [JSON.stringify({ format: "interleave.session", version: 1, steps: [] }), /damaged/],
      [exportWith({ providerData: { toolInput: { path: "x" } } }), /damaged: steps\.0\.providerData\.toolInput/],
      [exportWith({ parentId: "missing" }), /comes before its parent/],
      [exportWith({ kind: "text" }), /has no parent but is not a task/],
      [withReview({ comments: [{ ...aComment, stepId: "gone" }] }), /a comment is on a step that is not in the file/],
      [withReview({ comments: [{ ...aComment, parentId: "later" }] }), /replies to a thread that does not come before/],
      [withReview({ reviews: [{ ...aReview, verdict: "maybe" }] }), /damaged: reviews\.0\.verdict/],
      [withReview({ approvals: [{ ...anApproval, leafId: "gone" }] }), /an approval names a step that is not/],
      // a 30 KB file: its 5,000 nested arrays overflowed the stack of the importer's walks (a 500)
      [
        exportWith({ providerData: { deep: "@" } }).replace('"@"', `${"[".repeat(5000)}${"]".repeat(5000)}`),
        /nests more than 200 levels deep/,
      ],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await callRoute(importer.POST, { method: "POST", rawBody: body });
      expect(status).toBe(400);
      expect(json.error.code).toBe("bad_request:import");
      expect(json.error.message).toMatch(message);
      expect(json.error.message).toMatch(/Nothing was imported/);
    }
    expect(await sessionCount()).toBe(before);
    // the same minimal file, unchanged, imports
    expect((await callRoute(importer.POST, { method: "POST", rawBody: exportWith({}) })).status).toBe(201);
  });
});
