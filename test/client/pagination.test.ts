import { afterEach, describe, expect, it } from 'vitest';
import { MaasClient, Page } from '../../src/index.js';
import { type MockServer, sendJson, startMockServer, TRANSPORTS } from './support/mock-server.js';

// 7 datasets served 3 per page with opaque cursors.
const ALL = Array.from({ length: 7 }, (_, i) => ({ id: `ds_${i + 1}`, object: 'dataset' }));

function pageOf(after: string | null, limit: number) {
  const start = after ? Number(after.replace('cur_', '')) : 0;
  const data = ALL.slice(start, start + limit);
  const end = start + data.length;
  const hasMore = end < ALL.length;
  return { object: 'list', data, has_more: hasMore, next_cursor: hasMore ? `cur_${end}` : null };
}

describe.each(TRANSPORTS)('pagination over %s', (_name, transport) => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    server = await startMockServer((req, res) =>
      sendJson(res, 200, pageOf(req.query.get('after'), Number(req.query.get('limit') ?? 20))),
    );
    return new MaasClient({ baseUrl: server.baseUrl, ...transport });
  }

  it('iterates every item across pages, following next_cursor', async () => {
    const client = await setup();
    const ids: string[] = [];
    for await (const ds of client.datasets.list({ limit: 3 })) ids.push(ds.id);
    expect(ids).toEqual(ALL.map((d) => d.id));
    expect(server!.requests.map((r) => r.url)).toEqual([
      '/v1/datasets?limit=3',
      '/v1/datasets?limit=3&after=cur_3',
      '/v1/datasets?limit=3&after=cur_6',
    ]);
  });

  it('page() fetches one page only; awaiting the list gives the same page', async () => {
    const client = await setup();
    const list = client.datasets.list({ limit: 3 });
    const page = await list.page();
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((d) => d.id)).toEqual(['ds_1', 'ds_2', 'ds_3']);
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe('cur_3');
    expect(page.response.requestId).toBe('req_test');
    expect(await list).toBe(page);
    expect(server!.requests).toHaveLength(1);
  });

  it('walks pages with nextPage() and stops at the last', async () => {
    const client = await setup();
    let page = await client.datasets.list({ limit: 5 });
    const sizes = [page.data.length];
    while (page.hasNextPage()) {
      page = await page.nextPage();
      sizes.push(page.data.length);
    }
    expect(sizes).toEqual([5, 2]);
    await expect(page.nextPage()).rejects.toThrow(RangeError);
  });

  it('starts from a given cursor and sends filters on every page', async () => {
    const client = await setup();
    const ids: string[] = [];
    for await (const job of client.trainingJobs.list({ limit: 2, after: 'cur_4', status: 'running' })) {
      ids.push((job as unknown as { id: string }).id);
    }
    expect(ids).toEqual(['ds_5', 'ds_6', 'ds_7']);
    expect(server!.requests.map((r) => r.url)).toEqual([
      '/v1/training-jobs?limit=2&after=cur_4&status=running',
      '/v1/training-jobs?limit=2&after=cur_6&status=running',
    ]);
  });

  it('sends nothing until awaited or iterated', async () => {
    const client = await setup();
    client.models.list();
    await new Promise((r) => setTimeout(r, 20));
    expect(server!.requests).toHaveLength(0);
  });
});
