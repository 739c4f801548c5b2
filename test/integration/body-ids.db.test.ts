import { beforeAll, describe, expect, test } from "vitest";
import * as accountWorkspaceRoute from "@/app/api/account/workspace/route";
import * as commentsRoute from "@/app/api/sessions/[id]/comments/route";
import * as downloadRoute from "@/app/api/sessions/[id]/download/route";
import * as exportRoute from "@/app/api/sessions/[id]/export/route";
import * as filesRoute from "@/app/api/sessions/[id]/files/route";
import * as patchRoute from "@/app/api/sessions/[id]/patch/route";
import * as presenceRoute from "@/app/api/sessions/[id]/presence/route";
import * as sessionRoute from "@/app/api/sessions/[id]/route";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sharesRoute from "@/app/api/sessions/[id]/shares/route";
import * as testRunsRoute from "@/app/api/sessions/[id]/test-runs/route";
import * as forkRoute from "@/app/api/sessions/fork/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { callRoute } from "../api";
import { workspaceOfTwo } from "../auth";

/**
 * A body field or query parameter that holds an id (a step's, a comment's, a workspace's)
 * and can't be one at all (not letters, digits, `-` and `_`) is the request's fault: 400
 * `bad_request:id` naming the field, before anything is looked up, as an id in the address
 * is. A well-formed id that names nothing stays a 404, and the scope check still comes
 * first (a viewer's write is 403 whatever the id).
 */

let owner = "";
let viewer = "";
let session = { id: "", leaf: "" };
let token = "";

/** Not ids at all: a space, a slash, an escape left as text, an accent, a tab. */
const MALFORMED = ["not an id", "../x", "a%2Fb", "é", "a\tb"];
/** Well-formed, naming nothing. */
const UNKNOWN = "cunknownstep0000000000000";

beforeAll(async () => {
  ({ owner, second: viewer } = await workspaceOfTwo("Ana", { name: "Vic", role: "viewer" }));
  const { json } = await callRoute(sessionsRoute.POST, { method: "POST", cookie: owner, body: { task: "Ids" } });
  session = { id: json.session.id, leaf: json.session.activeLeafId };
  const shared = await callRoute(sharesRoute.POST, {
    method: "POST",
    cookie: owner,
    params: { id: session.id },
    body: {},
  });
  token = shared.json.token;
}, 60_000);

type Call = (id: string, cookie?: string) => ReturnType<typeof callRoute>;

/** Each body field and query parameter holding an id, as a call with that id in it, and what a well-formed unknown id answers. */
const CALLS: [string, Call, number][] = [
  [
    "comments stepId",
    (id, cookie = owner) =>
      callRoute(commentsRoute.POST, {
        method: "POST",
        cookie,
        params: { id: session.id },
        body: { stepId: id, body: "x" },
      }),
    404,
  ],
  [
    "comments parentId",
    (id, cookie = owner) =>
      callRoute(commentsRoute.POST, {
        method: "POST",
        cookie,
        params: { id: session.id },
        body: { stepId: session.leaf, body: "x", parentId: id },
      }),
    404,
  ],
  [
    "files afterStepId",
    (id, cookie = owner) =>
      callRoute(filesRoute.POST, {
        method: "POST",
        cookie,
        params: { id: session.id },
        body: { afterStepId: id, path: "a.py", content: "x" },
      }),
    404,
  ],
  [
    "runs fromStepId",
    (id, cookie = owner) =>
      callRoute(runsRoute.POST, { method: "POST", cookie, params: { id: session.id }, body: { fromStepId: id } }),
    404,
  ],
  [
    "test-runs afterStepId",
    (id, cookie = owner) =>
      callRoute(testRunsRoute.POST, { method: "POST", cookie, params: { id: session.id }, body: { afterStepId: id } }),
    404,
  ],
  [
    "session activeLeafId",
    (id, cookie = owner) =>
      callRoute(sessionRoute.PATCH, {
        method: "PATCH",
        cookie,
        params: { id: session.id },
        body: { activeLeafId: id },
      }),
    404,
  ],
  [
    "shares leafId",
    (id, cookie = owner) =>
      callRoute(sharesRoute.POST, {
        method: "POST",
        cookie,
        params: { id: session.id },
        body: { scope: "branch", leafId: id },
      }),
    // a step not in the session: the link can't be made (bad_request:leaf, as before)
    400,
  ],
  [
    "fork leafId",
    (id, cookie = owner) => callRoute(forkRoute.POST, { method: "POST", cookie, body: { token, leafId: id } }),
    404,
  ],
  [
    "export ?step=",
    (id, cookie = owner) =>
      callRoute(exportRoute.GET, {
        cookie,
        params: { id: session.id },
        path: `/?format=markdown&step=${encodeURIComponent(id)}`,
      }),
    404,
  ],
  [
    "download ?step=",
    (id, cookie = owner) =>
      callRoute(downloadRoute.GET, { cookie, params: { id: session.id }, path: `/?step=${encodeURIComponent(id)}` }),
    404,
  ],
  [
    "patch ?step=",
    (id, cookie = owner) =>
      callRoute(patchRoute.GET, { cookie, params: { id: session.id }, path: `/?step=${encodeURIComponent(id)}` }),
    404,
  ],
];

describe("ids in bodies and queries", () => {
  test.each(CALLS)(
    "%s: one that can't be an id is 400 bad_request:id; a well-formed unknown one is a 404",
    async (_name, call, unknownStatus) => {
      for (const id of MALFORMED) {
        const answer = await call(id);
        expect([id, answer.status, answer.json?.error?.code]).toEqual([id, 400, "bad_request:id"]);
        expect(answer.json.error.message).toMatch(/id/);
      }
      const unknown = await call(UNKNOWN);
      expect([unknown.status, unknown.json?.error?.code]).not.toEqual([400, "bad_request:id"]);
      expect(unknown.status).toBe(unknownStatus);
    },
  );

  test("presence stepId: 400 bad_request:id before the tab's stream is looked for", async () => {
    for (const stepId of MALFORMED) {
      const answer = await callRoute(presenceRoute.POST, {
        method: "POST",
        cookie: owner,
        params: { id: session.id },
        body: { viewerId: "7d3f2c1e-5b6a-4c8d-9e0f-1a2b3c4d5e6f", stepId },
      });
      expect([stepId, answer.status, answer.json?.error?.code]).toEqual([stepId, 400, "bad_request:id"]);
    }
  });

  test("account workspaceId: the same answer as any id", async () => {
    const answer = await callRoute(accountWorkspaceRoute.POST, {
      method: "POST",
      cookie: owner,
      body: { workspaceId: "not an id" },
    });
    expect([answer.status, answer.json?.error?.code]).toEqual([400, "bad_request:id"]);
  });

  test("the scope check still comes first: a viewer's write is 403 whatever the id", async () => {
    // a viewer may comment, read and fork (into a workspace of theirs): the writes to this session are the rest
    const writes = CALLS.filter(([name]) => !/\?step=|^comments|^fork/.test(name));
    expect(writes).toHaveLength(5);
    for (const [name, call] of writes) {
      const answer = await call("not an id", viewer);
      expect([name, answer.status]).toEqual([name, 403]);
    }
  });
});
