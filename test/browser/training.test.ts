// Datasets and training jobs from the console: an upload's validation report (accepted columns, or every bad line as
// the API reports it), a job created with the form whose curve grows while it runs and ends with the deployed
// version, cancel, the list by status, and the event stream resumed with Last-Event-ID after a dropped connection.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { APIError, type TrainingJobEvent } from '../../src/index.js';
import {
  ABORTED_STREAM,
  consoleTestEnv,
  describeInBrowser,
  type PageProblems,
  screenshot,
  watchPage,
} from './support/browser.js';

const DIGITS = join(import.meta.dirname, '../data/digits/train.csv');

describeInBrowser('datasets and training jobs', () => {
  const env = consoleTestEnv();

  const open = async (path: string): Promise<{ page: Page; problems: PageProblems }> => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}/console${path}`);
    return { page, problems };
  };

  const allEvents = async (jobId: string): Promise<TrainingJobEvent[]> => {
    const events: TrainingJobEvent[] = [];
    for (let after = 0; ; ) {
      const page = await env.client.trainingJobs.events(jobId, { after, limit: 100 });
      events.push(...page.data);
      if (!page.has_more) return events;
      after = Number(page.next_cursor);
    }
  };

  it('shows a refused upload line by line, as the API reports it', async () => {
    const csv = 'a,b,label\n1,2,x\n3\n4,5,y\n6,7,8,9\nnope,1,z\n';
    const api = await env.client.datasets.create(csv, { format: 'csv', name: 'bad.csv' }).catch((e: unknown) => e);
    expect(api).toBeInstanceOf(APIError);
    const details = (api as APIError).details!;
    expect(details.length).toBeGreaterThanOrEqual(2);
    const { page, problems } = await open('/datasets');
    await page
      .locator('#dataset-file')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const rows = page.locator('[data-testid=error-details] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(details.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(shown).toEqual(details.map((d) => [String(d.line ?? '–'), d.column ?? d.field ?? '–', d.message]));
    await screenshot(page, 'dataset-refused');
    // The refused upload is the one expected error on the page.
    expect(problems.unexpected(/HTTP 422: POST .*\/v1\/datasets/, /status of 422/)).toEqual([]);
    await page.close();
  });

  it('uploads a dataset, lists it as the API does, and deletes it', async () => {
    const { page, problems } = await open('/datasets');
    await page.locator('#dataset-file').setInputFiles({
      name: 'tiny.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('x,y\n1,2\n2,4\n3,\n'),
    });
    const accepted = page.getByTestId('dataset-accepted');
    await accepted.waitFor({ timeout: 20_000 });
    const id = (await accepted.locator('code').first().textContent())!;
    const dataset = await env.client.datasets.retrieve(id);
    expect(dataset.rows).toBe(3);
    expect(dataset.columns).toEqual([
      { name: 'x', type: 'number', missing: 0 },
      { name: 'y', type: 'number', missing: 1 },
    ]);
    const columnRows = await accepted.locator('[data-testid=dataset-columns] tbody tr').allTextContents();
    expect(columnRows).toEqual(['xnumber0', 'ynumber1']);
    const row = page.locator(`tr[data-dataset="${id}"]`);
    await row.waitFor();
    expect(await row.locator('td.num').first().textContent()).toBe('3');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: `Yes, delete ${id}` }).click();
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    expect(await env.client.datasets.retrieve(id).catch((e: unknown) => (e as APIError).code)).toBe(
      'dataset_not_found',
    );
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('trains from the form: the curve grows while the job runs and ends with the deployed version', async () => {
    const { page, problems } = await open('/datasets');
    await page.locator('#dataset-file').setInputFiles({
      name: 'digits.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(DIGITS),
    });
    await page.getByTestId('dataset-accepted').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Train on it' }).click();
    await page.locator('#job-model').waitFor();
    // The form starts from the contract's defaults.
    expect(await page.locator('#job-epochs').inputValue()).toBe('20');
    expect(await page.locator('#job-batch_size').inputValue()).toBe('32');
    expect(await page.locator('#job-learning_rate').inputValue()).toBe('0.001');
    expect(await page.locator('#job-hidden_layers').inputValue()).toBe('64, 64');
    expect(await page.locator('#job-validation_split').inputValue()).toBe('0.2');
    await page.locator('#job-optimizer').selectOption('sgd');
    expect(await page.locator('#job-learning_rate').inputValue()).toBe('0.01');
    await page.locator('#job-optimizer').selectOption('adam');
    await page.locator('#job-model').fill('digits_ui');
    expect(await page.locator('#job-target').inputValue()).toBe('label');
    await page.locator('#job-task').selectOption('classification');
    await page.locator('#job-hidden_layers').fill('128, 128');
    await page.locator('#job-epochs').fill('30');
    await page.locator('#job-batch_size').fill('16');
    await page.locator('#job-seed').fill('7');
    await screenshot(page, 'job-form');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/\/console\/jobs\/job_/, { timeout: 20_000 });
    const jobId = page.url().split('/').at(-1)!;

    // Watch the chart's point count while the job runs: it must take several values before the last one.
    // Both are read in one go, in the page, so a sample never mixes two renders.
    const seen: { points: number; status: string }[] = [];
    const chart = page.locator('#loss-chart');
    for (const started = Date.now(); Date.now() - started < 240_000; ) {
      const sample = await page.evaluate(() => ({
        points: Number(document.querySelector('#loss-chart')?.getAttribute('data-points') ?? 0),
        status: document.querySelector('[data-testid=job-status]')?.textContent ?? '',
      }));
      seen.push(sample);
      if (['succeeded', 'failed', 'cancelled'].includes(sample.status)) break;
      await page.waitForTimeout(100);
    }
    const job = await env.client.trainingJobs.retrieve(jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const events = await allEvents(jobId);
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(metrics).toHaveLength(30);
    await expect.poll(() => chart.getAttribute('data-points')).toBe('30');
    const whileRunning = new Set(seen.filter((s) => s.status === 'running').map((s) => s.points));
    expect([...whileRunning].filter((n) => n > 0 && n < 30).length, JSON.stringify(seen)).toBeGreaterThanOrEqual(3);
    const counts = seen.map((s) => s.points);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    // The log has every event once, in order; the result is the version the API deployed.
    await expect.poll(() => page.locator('[data-testid=event-log] li').count()).toBe(events.length);
    expect(await page.locator('[data-testid=event-log] li[data-type=metrics]').count()).toBe(30);
    expect(job.result).toEqual({ model: 'digits_ui', version: '1' });
    await expect.poll(() => page.getByTestId('result-version').textContent()).toBe(job.result!.version);
    const accuracy = page.locator('#accuracy-chart');
    expect(await accuracy.getAttribute('data-points')).toBe('30');
    await screenshot(page, 'job-detail');

    // The deployed model is listed and serves.
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await page.locator('tr[data-model="digits_ui"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('tr[data-model="digits_ui"] [data-col=versions]').textContent()).toBe('v1 READY');
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('cancels a running job from its page, and lists jobs by status', async () => {
    const datasets = (await env.client.datasets.list({ limit: 100 })).data;
    const digits = datasets.find((d) => d.name === 'digits.csv')!;
    const long = await env.client.trainingJobs.create({
      model: 'digits_cancel',
      dataset: digits.id,
      target: 'label',
      task: 'classification',
      architecture: { type: 'mlp', hidden_layers: [128, 128] },
      optimizer: { type: 'adam' },
      epochs: 5000,
      batch_size: 16,
    });
    const { page, problems } = await open(`/jobs/${long.id}`);
    const chart = page.locator('#loss-chart');
    await expect.poll(() => chart.count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('button', { name: 'Cancel the job' }).click();
    await expect
      .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 60_000 })
      .toBe('cancelled');
    const cancelled = await env.client.trainingJobs.retrieve(long.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.result).toBeNull();
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeLessThan(5000);
    expect(points).toBe((await allEvents(long.id)).filter((e) => e.type === 'metrics').length);

    await page.getByRole('link', { name: 'Training jobs' }).click();
    await page.getByRole('link', { name: 'cancelled', exact: true }).click();
    await page.locator(`tr[data-job="${long.id}"]`).waitFor({ timeout: 20_000 });
    const cancelledRows = await page
      .locator('[data-testid=jobs-table] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job')));
    const api = (await env.client.trainingJobs.list({ status: 'cancelled' })).data.map((j) => j.id);
    expect(cancelledRows).toEqual(api);
    await page.getByRole('link', { name: 'succeeded', exact: true }).click();
    await expect
      .poll(() =>
        page
          .locator('[data-testid=jobs-table] tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job'))),
      )
      .toEqual((await env.client.trainingJobs.list({ status: 'succeeded' })).data.map((j) => j.id));
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('resumes the event stream with Last-Event-ID after the connection drops', async () => {
    const done = (await env.client.trainingJobs.list({ status: 'succeeded' })).data[0]!;
    const events = await allEvents(done.id);
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    const streams: { lastEventId: string | undefined }[] = [];
    let dropAfter = 0;
    await page.route('**/v1/training-jobs/*/events*', async (route) => {
      const headers = route.request().headers();
      streams.push({ lastEventId: headers['last-event-id'] });
      if (streams.length > 1) return route.continue();
      // The first connection delivers ten events and then ends, as a dropped connection would.
      const body = await (await route.fetch()).text();
      const frames = body.split('\n\n').filter((f) => f.includes('data:'));
      dropAfter = Number(/^id: (\d+)$/m.exec(frames[9]!)![1]);
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: `${frames.slice(0, 10).join('\n\n')}\n\n`,
      });
    });
    await page.goto(`${env.server.baseUrl}/console/jobs/${done.id}`);
    await expect
      .poll(() => page.locator('[data-testid=event-log] li').count(), { timeout: 30_000 })
      .toBe(events.length);
    expect(streams.length).toBe(2);
    expect(streams[0]!.lastEventId).toBeUndefined();
    expect(streams[1]!.lastEventId).toBe(String(dropAfter));
    const ids = await page
      .locator('[data-testid=event-log] li')
      .evaluateAll((lis) => lis.map((li) => Number(/#(\d+)/.exec(li.textContent ?? '')![1])));
    expect(ids).toEqual(events.map((e) => e.id));
    expect(await page.locator('#loss-chart').getAttribute('data-points')).toBe('30');
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });
});
