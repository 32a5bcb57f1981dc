// With API keys on, the console's static files stay open, the page asks for the key, keeps it in sessionStorage and
// sends it only as the Authorization header — on plain calls, on the SSE stream and from the API reference.
import type { Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { ABORTED_STREAM, consoleTestEnv, describeInBrowser, screenshot, watchPage } from './support/browser.js';

const KEY = 'console-test-key-4f9d2c';
/** Before the key is given, the server's 401s are expected (they are what opens the prompt). */
const UNAUTHORIZED = [/HTTP 401: /, /status of 401/];

describeInBrowser('console with API keys', () => {
  const env = consoleTestEnv({ apiKeys: [KEY] });

  /** Every request the page sends, with its Authorization header. */
  const record = (page: Page) => {
    const requests: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r: Request) => requests.push({ url: r.url(), authorization: r.headers().authorization }));
    return requests;
  };

  const enterKey = async (page: Page, key: string) => {
    const dialog = page.getByRole('dialog', { name: 'API key' });
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByLabel('Key').fill(key);
    await dialog.getByRole('button', { name: 'Use this key' }).click();
  };

  it('asks for the key, refuses a wrong one, and then lists the models with the right one', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    const requests = record(page);
    const response = await page.goto(`${env.server.baseUrl}/console`);
    expect(response?.status()).toBe(200);
    const dialog = page.getByRole('dialog', { name: 'API key' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.getByRole('alert').textContent()).toContain('needs an API key');
    await screenshot(page, 'key-prompt');

    await enterKey(page, 'wrong-key');
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 20_000 })
      .toBe('The server did not accept this API key.');
    await enterKey(page, KEY);
    await expect.poll(() => page.locator('[data-testid=models-table] tbody tr').count(), { timeout: 20_000 }).toBe(3);
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('maas.console.apiKey'))).toBe(KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // The key never travels in a URL; the API calls after it was given carry it as the header.
    expect(requests.filter((r) => r.url.includes(KEY) || r.url.includes('wrong-key'))).toEqual([]);
    const api = requests.filter((r) => new URL(r.url).pathname.startsWith('/v1/'));
    expect(api.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
    expect(api.some((r) => r.authorization === 'Bearer wrong-key')).toBe(true);

    // A reload in the same tab keeps the key: no prompt, no 401.
    const before = problems.all.length;
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=models-table] tbody tr').count(), { timeout: 20_000 }).toBe(3);
    expect(problems.all.slice(before)).toEqual([]);
    expect(problems.unexpected(...UNAUTHORIZED)).toEqual([]);
    await page.close();
  });

  it('streams a job with the key (SSE over fetch) and runs the playground with it', async () => {
    const dataset = await env.client.datasets.create('x,y\n0,0\n1,2\n2,4\n3,6\n4,8\n5,10\n', { format: 'csv' });
    const job = await env.client.trainingJobs.create({
      model: 'line',
      dataset: dataset.id,
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'adam', learning_rate: 0.1 },
      epochs: 12,
      validation_split: 0,
      seed: 3,
    });
    const done = await env.client.trainingJobs.wait(job.id);
    expect(done.status).toBe('succeeded');
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    const requests = record(page);
    await page.goto(`${env.server.baseUrl}/console/jobs/${job.id}`);
    await enterKey(page, KEY); // a new tab has its own sessionStorage: it asks again
    await expect.poll(() => page.locator('#loss-chart').getAttribute('data-points'), { timeout: 20_000 }).toBe('12');
    // The stream tried before the key was given went without one (and got the 401 that opened the prompt).
    const streams = requests.filter((r) => r.url.includes(`/v1/training-jobs/${job.id}/events`));
    expect(streams.at(-1)?.authorization).toBe(`Bearer ${KEY}`);

    await page.getByRole('link', { name: 'Try it in the playground' }).click();
    await page.getByTestId('input-0').fill('3.5');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('outputs').waitFor({ timeout: 20_000 });
    const api = await env.client.models.infer('line', {
      inputs: { input: { data: new Float32Array([3.5]), shape: [1, 1] } },
    });
    expect(JSON.parse((await page.getByTestId('output-value').textContent())!)).toEqual(
      Array.from(api.output('value').data as Float32Array),
    );
    expect(requests.filter((r) => r.url.includes(KEY))).toEqual([]);
    expect(problems.unexpected(...UNAUTHORIZED, ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('the API reference sends the console key with its try-it requests', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}/console`);
    await enterKey(page, KEY);
    await page.locator('[data-testid=models-table]').waitFor({ timeout: 20_000 });
    const requests = record(page);
    await page.goto(`${env.server.baseUrl}/docs`);
    const op = page.locator('#operations-models-listModels');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('200');
    const sent = requests.find((r) => new URL(r.url).pathname === '/v1/models');
    expect(sent?.authorization).toBe(`Bearer ${KEY}`);
    expect(new URL(sent!.url).origin).toBe(env.server.baseUrl);
    expect(
      await op.locator('.live-responses-table tbody .response-col_description .microlight').first().textContent(),
    ).toContain('iris_classifier');
    expect(problems.unexpected(...UNAUTHORIZED)).toEqual([]);
    await page.close();
  });
});
