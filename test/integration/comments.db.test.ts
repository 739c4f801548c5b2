import { afterAll, describe, expect, test } from "vitest";
import * as acceptRoute from "@/app/api/invitations/accept/route";
import * as commentRoute from "@/app/api/sessions/[id]/comments/[commentId]/route";
import * as sendRoute from "@/app/api/sessions/[id]/comments/[commentId]/send/route";
import * as commentsRoute from "@/app/api/sessions/[id]/comments/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import * as invitationsRoute from "@/app/api/workspace/invitations/route";
import { stopSessionRuns } from "@/lib/agent/run";
import { getDatabase } from "@/lib/db/client";
import { encodeDbText } from "@/lib/db/text-codec";
import { getSessionBus } from "@/lib/realtime/bus";
import { sharedTreeView } from "@/lib/realtime/share-view";
import type { CommentView } from "@/lib/wire/comments";
import type { SessionEvent } from "@/lib/wire/events";
import { callRoute } from "../api";
import { accountCookie } from "../auth";

const unique = (name: string) => `${name}.${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;
const sessions: string[] = [];
afterAll(async () => {
  for (const id of sessions) await stopSessionRuns(id);
});

async function join(owner: string, cookie: string, role: "member" | "viewer") {
  const invited = await callRoute(invitationsRoute.POST, { method: "POST", cookie: owner, body: { role } });
  const token = (invited.json.path as string).split("/").pop();
  expect((await callRoute(acceptRoute.POST, { method: "POST", cookie, body: { token } })).status).toBe(200);
}

/** A workspace with its owner (Ada), a viewer (Vic) and a session; and a second workspace's owner (Eve). */
async function team() {
  const adaEmail = unique("ada");
  const ada = await accountCookie(adaEmail);
  const vic = await accountCookie(unique("vic"));
  const eve = await accountCookie(unique("eve"));
  await join(ada, vic, "viewer");
  const made = await callRoute(sessionsRoute.POST, { method: "POST", cookie: ada, body: { task: "Write fizzbuzz" } });
  const session = made.json.session as { id: string; activeLeafId: string };
  sessions.push(session.id);
  const mine = await callRoute(sessionsRoute.POST, { method: "POST", cookie: eve, body: { task: "Eve's task" } });
  sessions.push(mine.json.session.id);
  return {
    ada,
    vic,
    eve,
    adaName: adaEmail.split("@")[0] as string,
    session,
    eveSession: mine.json.session.id as string,
  };
}

const post = (cookie: string, sessionId: string, body: unknown) =>
  callRoute(commentsRoute.POST, { method: "POST", cookie, params: { id: sessionId }, body });
const patch = (cookie: string, sessionId: string, commentId: string, body: unknown) =>
  callRoute(commentRoute.PATCH, { method: "PATCH", cookie, params: { id: sessionId, commentId }, body });

describe("review comments", () => {
  test("a thread: comment (anchored, @mentioning), reply, author-only edit, resolve — each told live, never to a link", async () => {
    const { ada, vic, adaName, session } = await team();
    const published: SessionEvent[] = [];
    const following = getSessionBus().follow(
      session.id,
      (event) => published.push(event),
      () => {},
    );
    await following.ready;

    const first = await post(vic, session.id, {
      stepId: session.activeLeafId,
      body: `@${adaName} is "fizzbuzz" enough of a spec?`,
      anchor: { kind: "text", start: 6, end: 14 },
    });
    expect(first.status).toBe(201);
    const comment = first.json.comment as CommentView;
    expect(comment).toMatchObject({
      stepId: session.activeLeafId,
      parentId: null,
      anchor: { kind: "text", start: 6, end: 14, quote: "fizzbuzz" },
      resolvedAt: null,
      editedAt: null,
    });
    expect(comment.authorName).toMatch(/^vic\./);
    expect(comment.mentions.map((person) => person.name)).toEqual([adaName]);

    // a reply to the reply joins the thread; a reply has no anchor of its own
    const reply = await post(ada, session.id, { stepId: session.activeLeafId, body: "Yes", parentId: comment.id });
    expect(reply.json.comment).toMatchObject({ parentId: comment.id, authorName: adaName, mentions: [] });
    const nested = await post(vic, session.id, { stepId: "ignored", body: "ok", parentId: reply.json.comment.id });
    expect(nested.json.comment.parentId).toBe(comment.id);
    const anchoredReply = await post(vic, session.id, {
      stepId: session.activeLeafId,
      body: "x",
      parentId: comment.id,
      anchor: { kind: "text", start: 0, end: 1 },
    });
    expect(anchoredReply.json.error.code).toBe("bad_request:anchor");

    // only the author edits the text; anyone who may comment resolves the thread (a reply resolves its thread)
    const notYours = await patch(ada, session.id, comment.id, { body: "rewritten by Ada" });
    expect([notYours.status, notYours.json.error.code]).toEqual([403, "forbidden:author"]);
    const edited = await patch(vic, session.id, comment.id, { body: "Is fizzbuzz enough?" });
    expect(edited.status).toBe(200);
    expect(edited.json.comment).toMatchObject({ body: "Is fizzbuzz enough?", mentions: [] });
    expect(edited.json.comment.editedAt).not.toBeNull();
    const resolved = await patch(ada, session.id, reply.json.comment.id, { resolved: true });
    expect(resolved.status).toBe(200);
    const listed = await callRoute(commentsRoute.GET, { cookie: vic, params: { id: session.id } });
    const thread = (listed.json.comments as CommentView[]).find((c) => c.id === comment.id);
    expect(thread).toMatchObject({ resolvedByName: adaName });
    expect(thread?.resolvedAt).not.toBeNull();
    expect((listed.json.comments as CommentView[]).map((c) => c.id)).toEqual([
      comment.id,
      reply.json.comment.id,
      nested.json.comment.id,
    ]);
    expect((listed.json.members as { name: string }[]).map((m) => m.name)).toContain(adaName);
    expect(JSON.stringify(listed.json)).not.toContain("@example.com");
    const reopened = await patch(vic, session.id, comment.id, { resolved: false });
    expect(reopened.json.comment.resolvedAt).toBeNull();
    following.stop();

    const kinds = published.filter((e) => e.type.startsWith("comment.")).map((e) => e.type);
    expect(kinds).toEqual([
      "comment.created",
      "comment.created",
      "comment.created",
      "comment.updated",
      "comment.updated",
      "comment.updated",
    ]);
    // a share link's visitor is never sent the team's comments
    expect(published.filter((event) => event.type.startsWith("comment.")).map(sharedTreeView)).toEqual(
      kinds.map(() => null),
    );
  });

  test("file anchors need the step that wrote that file", async () => {
    const { ada, session } = await team();
    const saved = await callRoute(filesRoute.POST, {
      method: "POST",
      cookie: ada,
      params: { id: session.id },
      body: { afterStepId: session.activeLeafId, path: "src/fizz.ts", content: "a\nb\nc\n" },
    });
    const stepId = saved.json.step.id as string;
    const onLines = await post(ada, session.id, {
      stepId,
      body: "Why three lines?",
      anchor: { kind: "file", path: "./src/fizz.ts", startLine: 2, endLine: 3 },
    });
    expect(onLines.status).toBe(201);
    expect(onLines.json.comment.anchor).toEqual({ kind: "file", path: "src/fizz.ts", startLine: 2, endLine: 3 });
    const wrongFile = await post(ada, session.id, {
      stepId,
      body: "x",
      anchor: { kind: "file", path: "other.ts", startLine: 1, endLine: 1 },
    });
    const notAFile = await post(ada, session.id, {
      stepId: session.activeLeafId,
      body: "x",
      anchor: { kind: "file", path: "src/fizz.ts", startLine: 1, endLine: 1 },
    });
    const pastText = await post(ada, session.id, {
      stepId: session.activeLeafId,
      body: "x",
      anchor: { kind: "text", start: 0, end: 10_000 },
    });
    // "a\nb\nc\n" is four lines in the editor (the last one empty): line 5 is past its end
    const pastFile = await post(ada, session.id, {
      stepId,
      body: "x",
      anchor: { kind: "file", path: "src/fizz.ts", startLine: 4, endLine: 5 },
    });
    expect(pastFile.json.error?.message).toBe(
      "src/fizz.ts has 4 lines as this step left it; the comment ends at line 5.",
    );
    for (const answer of [wrongFile, notAFile, pastText, pastFile]) {
      expect([answer.status, answer.json.error.code]).toEqual([400, "bad_request:anchor"]);
    }
  });

  test("a text anchor over what PostgreSQL can't store (the model's NUL, lone surrogates) is kept exactly; one cutting a character in half is a 400", async () => {
    const { ada, session } = await team();
    const { prisma } = await getDatabase();
    const thinking = "before\u0000after \ud800 and 😀";
    const step = await prisma.step.create({
      data: {
        sessionId: session.id,
        parentId: session.activeLeafId,
        kind: "thinking",
        origin: "model",
        status: "done",
        content: encodeDbText(thinking),
      },
    });
    const onOdd = await post(ada, session.id, {
      stepId: step.id,
      body: "What is this character?",
      anchor: { kind: "text", start: 0, end: 14 },
    });
    expect(onOdd.status).toBe(201);
    expect(onOdd.json.comment.anchor).toEqual({ kind: "text", start: 0, end: 14, quote: thinking.slice(0, 14) });
    const listed = await callRoute(commentsRoute.GET, { cookie: ada, params: { id: session.id } });
    expect((listed.json.comments as CommentView[])[0]?.anchor).toEqual(onOdd.json.comment.anchor);

    const emoji = thinking.indexOf("😀");
    const halves = await Promise.all([
      post(ada, session.id, { stepId: step.id, body: "x", anchor: { kind: "text", start: emoji + 1, end: emoji + 2 } }),
      post(ada, session.id, { stepId: step.id, body: "x", anchor: { kind: "text", start: 0, end: emoji + 1 } }),
    ]);
    for (const answer of halves) expect([answer.status, answer.json.error.code]).toEqual([400, "bad_request:anchor"]);
  });

  test("bad input is a 400; another workspace's session, step or comment is a 404", async () => {
    const { ada, eve, session, eveSession } = await team();
    const made = await post(ada, session.id, { stepId: session.activeLeafId, body: "mine" });
    const id = made.json.comment.id as string;
    const bad = await Promise.all([
      post(ada, session.id, { stepId: session.activeLeafId, body: "   " }),
      post(ada, session.id, { stepId: session.activeLeafId, body: "x".repeat(10_001) }),
      post(ada, session.id, { stepId: session.activeLeafId, body: "x", anchor: { kind: "lines" } }),
      patch(ada, session.id, id, {}),
      patch(ada, session.id, id, { resolved: "yes" }),
    ]);
    expect(bad.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);

    const idor = await Promise.all([
      callRoute(commentsRoute.GET, { cookie: eve, params: { id: session.id } }),
      post(eve, session.id, { stepId: session.activeLeafId, body: "hi" }),
      // Ada's step and comment, smuggled into Eve's own session
      post(eve, eveSession, { stepId: session.activeLeafId, body: "hi" }),
      post(eve, eveSession, { stepId: session.activeLeafId, body: "hi", parentId: id }),
      patch(eve, session.id, id, { resolved: true }),
      patch(eve, eveSession, id, { resolved: true }),
      patch(eve, eveSession, id, { body: "mine now" }),
    ]);
    expect(idor.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const still = await callRoute(commentsRoute.GET, { cookie: ada, params: { id: session.id } });
    expect(still.json.comments).toMatchObject([{ id, body: "mine", resolvedAt: null }]);
  });

  test("Send to model's preview: a fresh turn after the task; needs runs:start; another workspace's comment is a 404", async () => {
    const { ada, vic, eve, session } = await team();
    const made = await post(ada, session.id, { stepId: session.activeLeafId, body: "Use Python 3.12" });
    expect(made.status).toBe(201);
    const preview = (cookie: string, commentId: string, sessionId = session.id) =>
      callRoute(sendRoute.GET, { cookie, params: { id: sessionId, commentId } });
    const mine = await preview(ada, made.json.comment.id);
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual({ replayAs: "user_message" });
    expect((await preview(vic, made.json.comment.id)).status).toBe(403);
    const foreign = await preview(eve, made.json.comment.id);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe("not_found:session");
    const unknown = await preview(ada, "cunknowncomment00000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found:comment");
  });

  test("delete: the author only; a first comment with replies stays as deleted, its replies readable, until they go", async () => {
    const { ada, vic, eve, session, eveSession } = await team();
    const remove = (cookie: string, commentId: string, sessionId = session.id) =>
      callRoute(commentRoute.DELETE, { method: "DELETE", cookie, params: { id: sessionId, commentId } });
    const list = async () =>
      (await callRoute(commentsRoute.GET, { cookie: ada, params: { id: session.id } })).json.comments as CommentView[];
    const published: SessionEvent[] = [];
    const following = getSessionBus().follow(
      session.id,
      (event) => published.push(event),
      () => {},
    );
    await following.ready;

    const root = (await post(vic, session.id, { stepId: session.activeLeafId, body: "Is this right?" })).json
      .comment as CommentView;
    const reply = (await post(ada, session.id, { stepId: session.activeLeafId, body: "Yes", parentId: root.id })).json
      .comment as CommentView;
    const alone = (await post(ada, session.id, { stepId: session.activeLeafId, body: "Typo" })).json
      .comment as CommentView;

    // someone else's comment: 403; another workspace: 404 (its session, or this comment under its own session)
    const notYours = await remove(ada, root.id);
    expect([notYours.status, notYours.json.error.code]).toEqual([403, "forbidden:author"]);
    expect((await remove(eve, root.id)).status).toBe(404);
    expect((await remove(eve, root.id, eveSession)).json.error.code).toBe("not_found:comment");
    expect((await remove(vic, "cunknowncomment00000000000")).status).toBe(404);

    // a thread's first comment with a reply: kept, marked deleted, without its text; the reply stays
    expect((await remove(vic, root.id)).status).toBe(204);
    const afterRoot = await list();
    expect(afterRoot.find((c) => c.id === root.id)).toMatchObject({ body: "", mentions: [] });
    expect(afterRoot.find((c) => c.id === root.id)?.deletedAt).not.toBeNull();
    expect(afterRoot.find((c) => c.id === reply.id)?.body).toBe("Yes");
    expect((await remove(vic, root.id)).status).toBe(404); // already deleted
    expect((await patch(vic, session.id, root.id, { body: "back" })).status).toBe(409);

    // a comment alone is removed; the last reply of a deleted first comment takes the thread with it
    expect((await remove(ada, alone.id)).status).toBe(204);
    expect((await remove(ada, reply.id)).status).toBe(204);
    expect((await list()).map((c) => c.id)).toEqual([]);
    following.stop();
    expect(
      published.filter((e) => e.type === "comment.deleted").map((e) => e.type === "comment.deleted" && e.commentId),
    ).toEqual([alone.id, reply.id, root.id]);
  });
});
