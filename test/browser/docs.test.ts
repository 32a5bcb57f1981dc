// /docs: the interactive API reference, bundled (no request leaves this server), renders every operation of
// openapi.yaml under the strict CSP, and its try-it requests go to this server (not the spec's default port).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { consoleTestEnv, describeInBrowser, screenshot, watchPage } from './support/browser.js';

const spec = parse(readFileSync(join(import.meta.dirname, '../../openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((m) => METHODS.includes(m))
    .map((method) => `${method.toUpperCase()} ${path}`),
);

describeInBrowser('API reference at /docs', () => {
  const env = consoleTestEnv();

  it('renders every operation of openapi.yaml, offline, with no console error', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    const response = await page.goto(`${env.server.baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const blocks = page.locator('.opblock');
    await expect.poll(() => blocks.count(), { timeout: 30_000 }).toBe(operations.length);
    const rendered = await blocks.evaluateAll((els) =>
      els.map(
        (el) =>
          `${el.querySelector('.opblock-summary-method')?.textContent} ${el.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
      ),
    );
    expect(rendered.sort()).toEqual([...operations].sort());
    expect(operations.length).toBeGreaterThanOrEqual(29);
    // Everything came from this server: no CDN, no font service.
    expect([...origins].filter((o) => o !== env.server.baseUrl && o !== 'null' && !o.startsWith('data:'))).toEqual([]);
    await screenshot(page, 'docs');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('tries a request against this server and shows its answer', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}/docs`);
    const op = page.locator('#operations-inference-getModelMetadata');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.locator('input[placeholder=model]').fill('iris_classifier');
    const sent = page.waitForRequest((r) => r.url().endsWith('/v2/models/iris_classifier'));
    await op.getByRole('button', { name: 'Execute' }).click();
    expect(new URL((await sent).url()).origin).toBe(env.server.baseUrl);
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('200');
    const api = await (await fetch(`${env.server.baseUrl}/v2/models/iris_classifier`)).json();
    const body = (await op
      .locator('.live-responses-table tbody .response-col_description .microlight')
      .first()
      .textContent())!;
    expect(JSON.parse(body)).toEqual(api);
    expect(problems.all).toEqual([]);
    await page.close();
  });
});
