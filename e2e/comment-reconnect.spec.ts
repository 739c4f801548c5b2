import { expect, type Page, test } from "@playwright/test";
import { teamOnSession } from "./team";

/**
 * A comment deleted while a viewer's event stream is down goes from their page when the
 * stream comes back (issue 12), however the server answers the reconnect: with the missed
 * events (the `comment.deleted` among them), or with a fresh snapshot (the server no longer
 * holds them: it restarted, or they were trimmed), which carries no comments — here the
 * reconnect's `after` is dropped on its way, so the server answers it so. The stream is
 * dropped by hand (an `error` on the page's EventSource, as a network blip gives) and its
 * reconnect held until the other person has deleted the comment.
 */

test.use({ storageState: { cookies: [], origins: [] } });

/** Keeps the page's EventSources reachable, so the test can drop one. */
function trackEventSources(page: Page) {
  return page.addInitScript(() => {
    const Original = window.EventSource;
    const opened: EventSource[] = [];
    (window as unknown as { openedSources: EventSource[] }).openedSources = opened;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
      }
    };
  });
}

for (const answer of ["the missed events", "a snapshot"] as const) {
  test(`a comment deleted while the stream was down goes when it reconnects (answered with ${answer})`, async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    const { sessionId, second, other } = await teamOnSession(page, browser, {
      role: "member",
      task: `Reconnect: write fizzbuzz (${answer})`,
    });
    const { session } = (await (await page.request.get(`/api/sessions/${sessionId}`)).json()) as {
      session: { activeLeafId: string };
    };
    const created = await second.request.post(`/api/sessions/${sessionId}/comments`, {
      data: { stepId: session.activeLeafId, body: "Is Python right here?" },
    });
    expect(created.status()).toBe(201);
    const { comment } = (await created.json()) as { comment: { id: string } };

    await trackEventSources(page);
    await page.goto(`/s/${sessionId}`);
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const count = page.getByRole("listitem", { name: /^Step 1:/ }).getByRole("button", { name: "1 comment, 1 open" });
    await expect(count).toBeVisible();

    // the next stream this page opens waits until the comment is deleted
    let release = () => {};
    const deleted = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/api\/sessions\/[^/]+\/events\?/, async (route) => {
      await deleted;
      const url = new URL(route.request().url());
      if (answer === "a snapshot") url.searchParams.delete("after");
      await route.continue({ url: url.toString() });
    });
    await page.evaluate(() => {
      const sources = (window as unknown as { openedSources: EventSource[] }).openedSources;
      sources.at(-1)?.dispatchEvent(new Event("error"));
    });
    await expect(page.getByText("Live", { exact: true })).toHaveCount(0);
    expect((await second.request.delete(`/api/sessions/${sessionId}/comments/${comment.id}`)).status()).toBe(204);
    release();

    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    await expect(count).toHaveCount(0);
    await other.close();
  });
}
