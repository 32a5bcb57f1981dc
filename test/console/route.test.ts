// The console's static route: what it serves and with which headers, without a browser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../server/app.js';
import { consoleFeature, consoleRoutes } from '../../server/http/routes/console.js';
import { startTestServer, type TestServer } from '../support/server.js';

const built = join(import.meta.dirname, '../../dist/console');

describe('console route', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apiKeys: ['k1'] });
  });
  afterAll(() => server?.close());

  it('serves the built files (gzipped when asked, revalidated by ETag), open with API keys on', async () => {
    const html = readFileSync(join(built, 'index.html'));
    const plain = await server.app.inject({ url: '/console' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.rawPayload.equals(html)).toBe(true);
    const gzipped = await server.app.inject({ url: '/console/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).equals(html)).toBe(true);
    const again = await server.app.inject({
      url: '/console',
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    // Hashed assets are cached for good.
    const asset = /src="\/console\/(assets\/[^"]+\.js)"/.exec(html.toString())![1]!;
    const js = await server.app.inject({ url: `/console/${asset}` });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const docs = await server.app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('MaaS API reference');
    // The API behind them still wants the key.
    expect((await server.app.inject({ url: '/v1/models' })).statusCode).toBe(401);
  });

  it('answers a console page path with index.html and a missing file with a 404 error body', async () => {
    const page = await server.app.inject({ url: '/console/jobs/job_123' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(readFileSync(join(built, 'index.html'), 'utf8'));
    for (const url of ['/console/assets/gone-1234.js', '/console/..%2F..%2Fpackage.json', '/console/favicon.ico']) {
      const missing = await server.app.inject({ url });
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json().code, url).toBe('not_found');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'maas-no-console-'));
    const bare = await startTestServer({
      features: [...features.filter((f) => f !== consoleRoutes), consoleFeature(empty)],
    });
    try {
      const response = await bare.app.inject({ url: '/console' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        code: 'not_found',
        error: 'The console is not built into this installation (dist/console is missing): run `npm run build`',
      });
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
