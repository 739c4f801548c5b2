"use client";

import { use, useEffect, useMemo, useRef, useState } from "react";
import { locateQuote } from "@/lib/comments/anchor";
import { MAX_COMMENT_LENGTH } from "@/lib/comments/limits";
import { mentionAt, mentionCandidates } from "@/lib/comments/mentions";
import type { StepNode } from "@/lib/steps/types";
import { errorMessage } from "@/lib/wire/client";
import {
  type CommentPerson,
  type CommentView,
  DELETED_COMMENT_TEXT,
  type SendCommentPreview,
} from "@/lib/wire/comments";
import { Button } from "../ui/button";
import { RelativeTime } from "../ui/relative-time";
import { type CommentsApi, CommentsContext } from "./comments-context";
import { useQuoteHighlights } from "./quote-highlight";

/** The count on a step's row: its comments (open threads' first, then the rest), a button that selects the step. */
export function CommentCount({ stepId, onOpen }: { stepId: string; onOpen: () => void }) {
  const comments = use(CommentsContext)?.byStep.get(stepId);
  if (!comments?.length) return null;
  const open = comments.filter((comment) => comment.parentId === null && comment.resolvedAt === null).length;
  return (
    <button
      type="button"
      onClick={(event) => {
        event.stopPropagation();
        onOpen();
      }}
      aria-label={`${comments.length} ${comments.length === 1 ? "comment" : "comments"}${open ? `, ${open} open` : ""}`}
      className={`rounded px-1.5 py-px text-[11px] font-medium ${
        open
          ? "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300"
          : "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400"
      }`}
    >
      <svg aria-hidden viewBox="0 0 16 16" className="mr-0.5 inline h-3 w-3 align-[-2px]" fill="currentColor">
        <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z" />
      </svg>
      {comments.length}
    </button>
  );
}

/** A step's threads and a form for a new one: shown under the selected step. */
export function StepComments({ step }: { step: StepNode }) {
  const api = use(CommentsContext);
  const comments = api?.byStep.get(step.id) ?? [];
  const threads = useMemo(() => comments.filter((comment) => comment.parentId === null), [comments]);
  const section = useRef<HTMLElement>(null);
  useQuoteHighlights(
    section,
    threads.flatMap((thread) =>
      thread.resolvedAt === null && thread.anchor?.kind === "text" ? [thread.anchor.quote] : [],
    ),
  );
  if (!api) return null;
  return (
    <section
      ref={section}
      aria-label="Comments"
      className="mt-2 space-y-2 border-l-2 border-sky-300 pl-3 dark:border-sky-800"
    >
      {threads.map((thread) => (
        <Thread
          key={thread.id}
          api={api}
          thread={thread}
          replies={comments.filter((comment) => comment.parentId === thread.id)}
        />
      ))}
      {api.canWrite ? (
        <CommentForm
          api={api}
          label="Comment"
          placeholder="Comment on this step — select text in it first to quote it; @ mentions someone"
          step={step}
          onSend={(body, anchor) => api.create({ stepId: step.id, body, ...(anchor ? { anchor } : {}) })}
        />
      ) : null}
    </section>
  );
}

function Thread({ api, thread, replies }: { api: CommentsApi; thread: CommentView; replies: CommentView[] }) {
  const [replying, setReplying] = useState(false);
  const resolved = thread.resolvedAt !== null;
  return (
    <article
      aria-label={`Comment thread by ${thread.authorName}${resolved ? ", resolved" : ""}`}
      className={`rounded-md border border-zinc-200 bg-white p-2 text-xs dark:border-zinc-800 dark:bg-zinc-900 ${resolved ? "opacity-70" : ""}`}
    >
      {thread.anchor ? (
        <p className="mb-1 truncate text-[11px] text-zinc-500 dark:text-zinc-400">
          {thread.anchor.kind === "text"
            ? `On “${thread.anchor.quote}”`
            : `On ${thread.anchor.path}, lines ${thread.anchor.startLine}–${thread.anchor.endLine}`}
        </p>
      ) : null}
      <OneComment api={api} comment={thread} />
      {replies.map((reply) => (
        <div key={reply.id} className="mt-1.5 border-t border-zinc-100 pt-1.5 pl-3 dark:border-zinc-800">
          <OneComment api={api} comment={reply} />
        </div>
      ))}
      <div className="mt-1.5 flex flex-wrap items-center gap-1">
        {resolved ? (
          <span className="text-[11px] text-emerald-700 dark:text-emerald-300">
            Resolved by {thread.resolvedByName}
          </span>
        ) : null}
        {api.canWrite ? (
          <>
            <Button variant="ghost" className="px-1.5 py-0.5 text-[11px]" onClick={() => setReplying(!replying)}>
              Reply
            </Button>
            <Button
              variant="ghost"
              className="px-1.5 py-0.5 text-[11px]"
              onClick={() => void api.update(thread.id, { resolved: !resolved }).catch(() => {})}
            >
              {resolved ? "Reopen" : "Resolve"}
            </Button>
          </>
        ) : null}
      </div>
      {replying ? (
        <CommentForm
          api={api}
          label="Reply"
          placeholder="Reply…"
          onSend={async (body) => {
            await api.create({ stepId: thread.stepId, body, parentId: thread.id });
            setReplying(false);
          }}
        />
      ) : null}
    </article>
  );
}

function OneComment({ api, comment }: { api: CommentsApi; comment: CommentView }) {
  const [editing, setEditing] = useState(false);
  const [sending, setSending] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (comment.deletedAt !== null) {
    return <p className="text-[11px] text-zinc-500 italic dark:text-zinc-400">{DELETED_COMMENT_TEXT}</p>;
  }
  const mine = api.canWrite && api.you !== null && comment.authorId === api.you;
  const idle = !editing && !deleting;
  const link = "underline-offset-2 hover:underline";
  return (
    <div>
      <p className="flex flex-wrap items-center gap-x-2 text-[11px] text-zinc-500 dark:text-zinc-400">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">{comment.authorName}</span>
        <RelativeTime iso={comment.createdAt} />
        {comment.editedAt ? <span>edited</span> : null}
        {mine && idle ? (
          <>
            <button type="button" className={link} onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className={link} onClick={() => setDeleting(true)}>
              Delete
            </button>
          </>
        ) : null}
        {api.canSend && idle ? (
          <button
            type="button"
            aria-expanded={sending}
            className={`text-violet-700 dark:text-violet-300 ${link}`}
            onClick={() => setSending(!sending)}
          >
            Send to model
          </button>
        ) : null}
        {deleting ? (
          <span className="inline-flex items-center gap-1">
            <span className="text-zinc-700 dark:text-zinc-300">Delete this comment?</span>
            <button
              type="button"
              className={`font-medium text-red-700 dark:text-red-300 ${link}`}
              onClick={() =>
                void api.remove(comment.id).catch((failure: unknown) => {
                  setError(errorMessage(failure, "Could not delete the comment."));
                  setDeleting(false);
                })
              }
            >
              Yes, delete
            </button>
            <button type="button" className={link} onClick={() => setDeleting(false)}>
              Keep
            </button>
          </span>
        ) : null}
      </p>
      <CommentError message={error} />
      {sending ? <SendToModel api={api} comment={comment} onDone={() => setSending(false)} /> : null}
      {editing ? (
        <CommentForm
          api={api}
          label="Save"
          initial={comment.body}
          placeholder="Comment"
          onCancel={() => setEditing(false)}
          onSend={async (body) => {
            await api.update(comment.id, { body });
            setEditing(false);
          }}
        />
      ) : (
        <p className="mt-0.5 whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">
          <MentionedText body={comment.body} names={comment.mentions.map((person) => person.name)} />
        </p>
      )}
    </div>
  );
}

/** What the model keeps when a comment reaches it one way or the other, in words. */
const SEND_SAYS: Record<SendCommentPreview["replayAs"], { title: string; detail: string }> = {
  tool_result: {
    title: "The model keeps its thinking.",
    detail:
      "This comment rides in the tool result this step ends with, labelled as a reviewer's, and the run goes on from there.",
  },
  user_message: {
    title: "The model starts a fresh turn.",
    detail:
      "No tool result comes right before this step, so the comment reaches the model as a new message — and MiniMax drops the thinking of every turn before a message.",
  },
};

/**
 * Send to model, asked first: says whether the comment will ride in the tool result before
 * it (the model keeps its thinking) or be a new message (a fresh turn), then sends it.
 */
function SendToModel({ api, comment, onDone }: { api: CommentsApi; comment: CommentView; onDone: () => void }) {
  const [preview, setPreview] = useState<SendCommentPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let current = true;
    api.previewSend(comment.id).then(
      (answer) => current && setPreview(answer),
      (failure: unknown) => current && setError(errorMessage(failure, "Could not tell how the comment would be sent.")),
    );
    return () => {
      current = false;
    };
  }, [api, comment.id]);

  async function send() {
    setBusy(true);
    setError(null);
    try {
      await api.send(comment.id, comment.stepId);
      onDone();
    } catch (failure) {
      setError(errorMessage(failure, "Could not send the comment to the model."));
      setBusy(false);
    }
  }

  const says = preview ? SEND_SAYS[preview.replayAs] : null;
  return (
    <section
      aria-label="Send to model"
      className="mt-1 space-y-1 rounded-md border border-violet-200 bg-violet-50 p-2 text-[11px] text-zinc-700 dark:border-violet-900 dark:bg-violet-950/40 dark:text-zinc-300"
    >
      {says ? (
        <p>
          <span className="font-medium text-zinc-900 dark:text-zinc-100">{says.title}</span> {says.detail}
        </p>
      ) : error ? null : (
        <p role="status">Checking how the comment would reach the model…</p>
      )}
      <CommentError message={error} />
      <div className="flex items-center gap-1">
        <Button
          variant="primary"
          className="px-2 py-0.5 text-[11px]"
          disabled={!preview || busy}
          onClick={() => void send()}
        >
          {busy ? "Sending…" : "Send and run"}
        </Button>
        <Button variant="ghost" className="px-2 py-0.5 text-[11px]" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </section>
  );
}

/** The text with its @mentions stood out. */
function MentionedText({ body, names }: { body: string; names: string[] }) {
  if (names.length === 0) return <>{body}</>;
  const escaped = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = body.split(new RegExp(`(@(?:${escaped.join("|")}))`, "i"));
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="font-medium text-sky-700 dark:text-sky-300">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}

/**
 * A comment's text field with @mention completion, its Send button (`label`) and, given
 * `onCancel`, Cancel; Ctrl/⌘+Enter sends. Also the editor's form for a comment on lines
 * of a file (components/editor/file-pane.tsx), which names its lines itself.
 */
export function CommentForm({
  api,
  label,
  placeholder,
  initial = "",
  step,
  autoFocus = false,
  onSend,
  onCancel,
}: {
  api: CommentsApi;
  label: string;
  placeholder: string;
  initial?: string;
  /** the field takes the focus when the form appears (opened from a shortcut) */
  autoFocus?: boolean;
  /** the step a new thread is on: a selection in its text becomes the anchor */
  step?: StepNode;
  onSend: (body: string, anchor?: { kind: "text"; start: number; end: number }) => Promise<void>;
  onCancel?: () => void;
}) {
  const [text, setText] = useState(initial);
  const [caret, setCaret] = useState(0);
  const [anchor, setAnchor] = useState<{ start: number; end: number; quote: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const typing = mentionAt(text, caret);
  const candidates = typing ? mentionCandidates(api.members, typing.query) : [];

  function pickUpSelection() {
    if (!step || anchor) return;
    const selected = typeof window === "undefined" ? "" : (window.getSelection()?.toString() ?? "");
    const at = selected ? locateQuote(step.content, selected) : null;
    if (at) setAnchor({ ...at, quote: step.content.slice(at.start, at.end) });
  }

  function complete(person: CommentPerson) {
    if (!typing) return;
    const next = `${text.slice(0, typing.start)}@${person.name} ${text.slice(caret)}`;
    setText(next);
    const at = typing.start + person.name.length + 2;
    setCaret(at);
    requestAnimationFrame(() => field.current?.setSelectionRange(at, at));
    field.current?.focus();
  }

  async function send() {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    setError(null);
    try {
      await onSend(body, anchor ? { kind: "text", start: anchor.start, end: anchor.end } : undefined);
      setText("");
      setAnchor(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Could not save the comment.");
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="relative space-y-1" onMouseDownCapture={pickUpSelection}>
      {anchor ? (
        <p className="flex items-center gap-1 text-[11px] text-zinc-500 dark:text-zinc-400">
          <span className="truncate">On “{anchor.quote}”</span>
          <button type="button" aria-label="Comment on the whole step" onClick={() => setAnchor(null)}>
            ×
          </button>
        </p>
      ) : null}
      <textarea
        ref={field}
        autoFocus={autoFocus}
        aria-label={label === "Save" ? "Edit comment" : label === "Reply" ? "Reply" : "New comment"}
        value={text}
        maxLength={MAX_COMMENT_LENGTH}
        placeholder={placeholder}
        rows={2}
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            void send();
          }
          event.stopPropagation(); // the timeline's ↑/↓ and shortcuts stay out of the text
        }}
        className="w-full resize-y rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      {candidates.length > 0 ? (
        <ul
          aria-label="Mention someone"
          className="absolute z-10 rounded-md border border-zinc-200 bg-white text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900"
        >
          {candidates.map((person) => (
            <li key={person.userId}>
              <button
                type="button"
                className="w-full px-2 py-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => complete(person)}
              >
                {person.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <CommentError message={error} />
      <div className="flex items-center gap-1">
        <Button
          variant="primary"
          className="px-2 py-0.5 text-[11px]"
          disabled={!text.trim() || sending}
          onClick={() => void send()}
        >
          {label}
        </Button>
        {onCancel ? (
          <Button variant="ghost" className="px-2 py-0.5 text-[11px]" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** A comment action's failure, in the thread's small type (an alert, so screen readers announce it). */
function CommentError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-[11px] text-red-700 dark:text-red-300">
      {message}
    </p>
  );
}
