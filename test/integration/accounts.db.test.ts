import { describe, expect, test } from "vitest";
import * as runsRoute from "@/app/api/sessions/[id]/runs/route";
import * as sessionsRoute from "@/app/api/sessions/route";
import { stopSessionRuns } from "@/lib/agent/run";
import { listMemberships } from "@/lib/auth/members";
import { cookieCaller, signedIn } from "@/lib/auth/session-caller";
import { getDatabase } from "@/lib/db/client";
import { callRoute } from "../api";
import { accountCookie, authPost, guestCookie } from "../auth";

const request = (cookie: string) => new Request("http://localhost/api/sessions", { headers: { cookie } });
const unique = () => `u${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;

describe("accounts (better-auth through the app's database)", () => {
  test("a guest gets a workspace of its own as owner, without a form", async () => {
    const cookie = await guestCookie();
    const caller = await cookieCaller(request(cookie));
    expect(caller).toMatchObject({ role: "owner", via: "cookie" });
    expect(caller?.scopes.has("members:manage")).toBe(true);
    const who = await signedIn(request(cookie));
    expect(who?.user.guest).toBe(true);
  });

  test("no cookie, or a forged one, is no caller", async () => {
    expect(await cookieCaller(new Request("http://localhost/"))).toBeNull();
    expect(await cookieCaller(request("interleave.session_token=forged.signature"))).toBeNull();
  });

  test("sign-up then sign-in (which emails exist stays unknown: account-enumeration.db.test.ts)", async () => {
    const email = unique();
    const cookie = await accountCookie(email);
    expect((await signedIn(request(cookie)))?.user).toMatchObject({ email, guest: false });
  });

  test("passwords are stored as memory-hard scrypt hashes, and never through the app's client", async () => {
    const email = unique();
    await accountCookie(email, "a long secret password");
    const db = await getDatabase();
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const account = await db.prisma.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(account).not.toHaveProperty("password");
    const raw = await db.authPrisma.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(raw.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(raw.password).not.toContain("a long secret password");
    const session = await db.prisma.authSession.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).not.toHaveProperty("token");
  });

  test("a guest claiming an account keeps its workspace (and so its sessions) and its running suite runs' count", async () => {
    const guest = await guestCookie();
    const before = await cookieCaller(request(guest));
    const db = await getDatabase();
    // a suite run the guest started: running, it would count against the account's limit of 2
    const suiteRun = await db.prisma.suiteRun.create({
      data: {
        workspaceId: before?.workspaceId as string,
        createdById: before?.userId as string,
        suiteName: "x",
        modelIds: [],
        concurrency: 1,
        status: "done",
        tasks: [],
        results: [],
      },
    });
    const email = unique();
    const claimed = await accountCookie(email, "correct horse battery", guest);
    const after = await cookieCaller(request(claimed));
    expect(after?.workspaceId).toBe(before?.workspaceId);
    expect(after?.userId).not.toBe(before?.userId);
    expect(after?.role).toBe("owner");
    // the guest user is gone, its cookie signs nobody in
    expect(await cookieCaller(request(guest))).toBeNull();
    expect(await listMemberships(before?.userId as string)).toEqual([]);
    expect((await db.prisma.suiteRun.findUniqueOrThrow({ where: { id: suiteRun.id } })).createdById).toBe(
      after?.userId,
    );
  });

  test("sign out everywhere ends every session of the account", async () => {
    const email = unique();
    const first = await accountCookie(email);
    const second = (await authPost("sign-in/email", { email, password: "correct horse battery" })).cookie;
    expect(await cookieCaller(request(second))).not.toBeNull();
    const revoked = await authPost("revoke-sessions", {}, first);
    expect(revoked.status).toBe(200);
    expect(await cookieCaller(request(first))).toBeNull();
    expect(await cookieCaller(request(second))).toBeNull();
  });

  test("who did what: a session records who made it (and its task step), a run who started it", async () => {
    const cookie = await guestCookie();
    const caller = await cookieCaller(request(cookie));
    const created = await callRoute(sessionsRoute.POST, { method: "POST", cookie, body: { task: "Write fizzbuzz" } });
    const sessionId = created.json.session.id as string;
    const started = await callRoute(runsRoute.POST, { method: "POST", cookie, params: { id: sessionId }, body: {} });
    expect(started.status).toBe(202);
    await stopSessionRuns(sessionId);
    const db = await getDatabase();
    const session = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { steps: true } });
    expect(session.createdById).toBe(caller?.userId);
    expect(session.steps.find((step) => step.kind === "task")?.userId).toBe(caller?.userId);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: started.json.run.id } });
    expect(run.userId).toBe(caller?.userId);
  });
});
