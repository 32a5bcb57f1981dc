// A job page whose first event stream delivers `keep` events and then ends, as a dropped connection would: the page
// must reconnect with Last-Event-ID and show every event once. Both job kinds' pages are checked with it.
import type { Page } from 'playwright-core';
import { type ConsoleTestEnv, type PageProblems, watchPage } from './browser.js';

export interface DroppedStream {
  page: Page;
  problems: PageProblems;
  /** The Last-Event-ID header of each connection, in order. */
  lastEventIds: (string | undefined)[];
  /** The id of the last event the first connection delivered. */
  droppedAfter(): number;
  /** The event ids the page's log lists, in order. */
  loggedIds(): Promise<number[]>;
}

/** Opens `path` with the first stream matching `events` (a route glob) cut after `keep` events. */
export async function openWithDroppedStream(
  env: ConsoleTestEnv,
  path: string,
  events: string,
  keep: number,
): Promise<DroppedStream> {
  const page = await env.browser.context.newPage();
  const problems = watchPage(page);
  const lastEventIds: (string | undefined)[] = [];
  let dropAfter = 0;
  await page.route(events, async (route) => {
    lastEventIds.push(route.request().headers()['last-event-id']);
    if (lastEventIds.length > 1) return route.continue();
    const body = await (await route.fetch()).text();
    const frames = body.split('\n\n').filter((f) => f.includes('data:'));
    dropAfter = Number(/^id: (\d+)$/m.exec(frames[keep - 1]!)![1]);
    return route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: `${frames.slice(0, keep).join('\n\n')}\n\n`,
    });
  });
  await page.goto(`${env.server.baseUrl}/console${path}`);
  return {
    page,
    problems,
    lastEventIds,
    droppedAfter: () => dropAfter,
    loggedIds: () =>
      page
        .locator('[data-testid=event-log] li')
        .evaluateAll((lis) => lis.map((li) => Number(/#(\d+)/.exec(li.textContent ?? '')![1]))),
  };
}
