// The console loads clean (no console error, no failed request) under its strict CSP, lists the demo models with
// what the API says of them, is usable by keyboard, and fits a phone's width.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { Model } from '../../src/index.js';
import { consoleTestEnv, describeInBrowser, screenshot, watchPage } from './support/browser.js';

describeInBrowser('console', () => {
  const env = consoleTestEnv();
  let models: Model[];
  beforeAll(async () => {
    models = (await env.client.models.list({ limit: 100 })).data;
  });

  const open = async (path: string): Promise<{ page: Page; problems: ReturnType<typeof watchPage> }> => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}${path}`);
    return { page, problems };
  };

  it('is served with a strict Content-Security-Policy and no inline script', async () => {
    const response = await fetch(`${env.server.baseUrl}/console`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await response.text();
    // Every script tag has a src: nothing inline for the CSP to have to allow.
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\ssrc="\/console\/assets\//);
      expect(body!.trim()).toBe('');
    }
    // A page path the console routes itself gets the same document; a missing asset is a 404 error body.
    expect(await (await fetch(`${env.server.baseUrl}/console/models/iris_classifier`)).text()).toBe(html);
    const missing = await fetch(`${env.server.baseUrl}/console/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('not_found');
  });

  it('lists the demo models as the API does, with no console error or failed request', async () => {
    const { page, problems } = await open('/console');
    const rows = page.locator('[data-testid=models-table] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(models.length);
    expect(models.map((m) => m.name).sort()).toEqual(['iris_classifier', 'keras_mlp', 'multi_io']);
    for (const model of models) {
      const row = page.locator(`tr[data-model="${model.name}"]`);
      await expect.poll(() => row.locator('[data-col=default]').textContent()).toBe(model.default_version);
      const badges = await row.locator('[data-col=versions] .badge').allTextContents();
      expect(badges).toEqual(model.versions.map((v) => `v${v.version} ${v.state}`));
      const size = model.versions.find((v) => v.version === model.default_version)!.size_bytes;
      const shown = (await row.locator('[data-col=size]').textContent())!;
      expect(shown).toBe(size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KiB`);
    }
    await screenshot(page, 'models');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('shows a model with its versions, statistics and configuration as the API reports them', async () => {
    const infer = { inputs: { input: { data: new Float32Array([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } } };
    await env.client.models.infer('iris_classifier', infer);
    await env.client.models.infer('iris_classifier', infer);
    const stats = (await (await fetch(`${env.server.baseUrl}/v2/models/iris_classifier/stats`)).json()) as {
      model_stats: { version: string; inference_count: number }[];
    };
    const config = (await (await fetch(`${env.server.baseUrl}/v2/models/iris_classifier/config`)).json()) as object;
    const { page, problems } = await open('/console/models/iris_classifier');
    await expect.poll(() => page.getByTestId('default-version').textContent(), { timeout: 20_000 }).toBe('1');
    const count = page.locator('[data-testid=stats-table] tr[data-version="1"] [data-col=inference_count]');
    await expect.poll(() => count.textContent()).toBe(String(stats.model_stats[0]!.inference_count));
    expect(stats.model_stats[0]!.inference_count).toBeGreaterThanOrEqual(2);
    expect(JSON.parse((await page.locator('pre.json').first().textContent())!)).toEqual(config);
    await screenshot(page, 'model-detail');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('is usable by keyboard: the skip link and the navigation take focus and Enter follows them', async () => {
    const { page, problems } = await open('/console');
    await page.locator('[data-testid=models-table]').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab'); // brand
    await page.keyboard.press('Tab'); // Models
    await page.keyboard.press('Tab'); // Playground
    await page.keyboard.press('Tab'); // Datasets
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Datasets');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.server.baseUrl}/console/datasets`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Datasets');
    expect(await page.locator('nav a[aria-current=page]').textContent()).toBe('Datasets');
    // Back goes back, without a reload.
    await page.goBack();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Models');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('shows requests per second and the inference count per model from the statistics', async () => {
    const { page, problems } = await open('/console/traffic');
    const iris = page.locator('[data-testid=traffic-table] tr[data-model="iris_classifier"]');
    await iris.waitFor({ timeout: 20_000 });
    // A burst of inferences while the page samples: the next interval shows them.
    const infer = { inputs: { input: { data: new Float32Array([6.1, 2.8, 4.7, 1.2]), shape: [1, 4] } } };
    for (let i = 0; i < 25; i++) await env.client.models.infer('iris_classifier', infer);
    const stats = (await (await fetch(`${env.server.baseUrl}/v2/models/iris_classifier/stats`)).json()) as {
      model_stats: { inference_count: number }[];
    };
    const total = String(stats.model_stats.reduce((n, s) => n + s.inference_count, 0));
    await expect.poll(() => iris.locator('[data-col=inferences]').textContent(), { timeout: 20_000 }).toBe(total);
    const rates: number[] = [];
    for (const started = Date.now(); Date.now() - started < 20_000; await page.waitForTimeout(250)) {
      rates.push(Number(await iris.locator('[data-col=rps]').textContent()));
      if (rates.at(-1)! > 0) break;
    }
    expect(rates.at(-1)).toBeGreaterThan(0);
    // A model nobody called has no traffic.
    const keras = page.locator('[data-testid=traffic-table] tr[data-model="keras_mlp"]');
    expect(await keras.locator('[data-col=rps]').textContent()).toBe('0');
    expect(await keras.locator('[data-col=inferences]').textContent()).toBe('0');
    expect(Number(await page.locator('#rps-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'traffic');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('fits a phone: no horizontal scroll of the page at 390 px', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.server.baseUrl}/console`);
    await page.locator('[data-testid=models-table] tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'models-phone');
    expect(problems.all).toEqual([]);
    await page.close();
  });
});
