/** A comment builder for tests. */
import type { CommentView } from "./comments";

/** An open first comment by Ana on step "s1" whose text is its id, made and changed at one instant; override what the test cares about. */
export function makeComment(id: string, fields: Partial<CommentView> = {}): CommentView {
  return {
    id,
    sessionId: "session-1",
    stepId: "s1",
    parentId: null,
    authorId: "u1",
    authorName: "Ana",
    body: id,
    anchor: null,
    mentions: [],
    resolvedAt: null,
    resolvedByName: null,
    editedAt: null,
    deletedAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  };
}
