// Rollout from the console: a version uploaded by drag and drop, promote (the default changes, and inference without
// a version is answered by the promoted one), a label, a weighted split, the routing log — each checked against the
// API, not only on screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { consoleTestEnv, describeInBrowser, screenshot, watchPage } from './support/browser.js';

const ONNX = readFileSync(join(import.meta.dirname, '../../examples/models/iris_classifier/1/model.onnx'));

describeInBrowser('routing from the console', () => {
  const env = consoleTestEnv();

  beforeAll(async () => {
    await env.client.models.upload('twin', ONNX);
  });

  it('uploads a version by drag and drop, promotes, labels and splits traffic as the API then reports', async () => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}/console/models/twin`);
    await page.getByTestId('default-version').waitFor({ timeout: 20_000 });

    // Drop an .onnx file on the upload zone: it becomes version 2.
    const transfer = await page.evaluateHandle(
      (bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'model.onnx', { type: 'application/octet-stream' }));
        return dt;
      },
      [...ONNX],
    );
    await page.getByTestId('upload-version-file-drop').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.getByTestId('default-version').textContent(), { timeout: 20_000 }).toBe('2');
    expect((await env.client.models.retrieve('twin')).versions.map((v) => v.version)).toEqual(['1', '2']);

    // Promote version 1: pinned, and unversioned inference is answered by it.
    await page
      .locator('[data-testid=versions-table] tr[data-version="1"]')
      .getByRole('button', { name: 'Promote' })
      .click();
    await expect.poll(() => page.getByTestId('default-version').textContent(), { timeout: 20_000 }).toBe('1');
    const promoted = await env.client.models.retrieve('twin');
    expect([promoted.default_version, promoted.pinned_version]).toEqual(['1', '1']);
    const answer = await env.client.models.infer('twin', {
      inputs: { input: { data: new Float32Array([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } },
    });
    expect(answer.modelVersion).toBe('1');
    expect(await page.getByTestId('routing-default').textContent()).toContain('version 1 (pinned)');

    // A label.
    await page.locator('#label-name').fill('canary');
    await page.locator('#label-version').selectOption('2');
    await page.getByRole('button', { name: 'Set label' }).click();
    await page.locator('[data-testid=labels] li[data-label=canary]').waitFor({ timeout: 20_000 });
    expect((await env.client.models.retrieve('twin')).labels).toEqual({ canary: '2' });

    // A 90/10 split.
    await page.getByTestId('weight-1').fill('90');
    await page.getByTestId('weight-2').fill('10');
    await page.getByRole('button', { name: 'Apply split' }).click();
    await expect.poll(() => page.getByTestId('split').textContent(), { timeout: 20_000 }).toBe('v1 90% · v2 10%');
    expect((await env.client.models.retrieve('twin')).traffic).toEqual([
      { version: '1', weight: 90 },
      { version: '2', weight: 10 },
    ]);

    // Every change is in the routing log, newest first, with the reason the console gave.
    const events = (await env.client.models.events('twin')).data;
    expect(events.map((e) => e.kind)).toEqual(['default', 'labels', 'traffic']);
    await expect.poll(() => page.locator('[data-testid=routing-events] li').count()).toBe(3);
    expect(await page.locator('[data-testid=routing-events] li').first().textContent()).toContain(events[2]!.reason);
    await screenshot(page, 'routing');

    // The model list shows the label and the split.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Models' }).click();
    const row = page.locator('tr[data-model=twin]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('[data-col=labels]').textContent()).toBe('canary → v2');
    expect(await row.locator('[data-col=traffic]').textContent()).toBe('v1 90% · v2 10%');
    expect(problems.all).toEqual([]);
    await page.close();
  });
});
