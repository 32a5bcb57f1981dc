// Optimisation from the console: an int8 quantisation job created with the form on a model the server trained, its
// stages and events live, its report as the API has it (every figure of parent and candidate), the candidate marked
// in the model list and promoted with the report's button (the API's default moves); the list by status; a failed
// gate shown with nothing to promote; and two versions evaluated side by side on the model page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { EvaluationFigures, OptimizationJob } from '../../src/index.js';
import {
  ABORTED_STREAM,
  allJobEvents,
  consoleTestEnv,
  describeInBrowser,
  openConsole,
  screenshot,
} from './support/browser.js';
import { openWithDroppedStream } from './support/dropped-stream.js';

// The digits (8×8 images, 10 classes): trained on train.csv, evaluated on the 360 rows of test.csv.
const DIGITS = join(import.meta.dirname, '../data/digits');

const MODEL = 'opt_ui';

/** The report table's raw values by figure: [parent, candidate]. */
type TableValues = Record<string, [number | null, number | null]>;

const readTable = (page: Page, testId: string): Promise<TableValues> =>
  page.getByTestId(testId).evaluate((table) => {
    const out: Record<string, (number | null)[]> = {};
    for (const tr of table.querySelectorAll('tbody tr')) {
      out[tr.getAttribute('data-figure')!] = [...tr.querySelectorAll('td[data-value]')].map((td) => {
        const v = td.getAttribute('data-value')!;
        return v === 'null' ? null : Number(v);
      });
    }
    return out;
  }) as Promise<TableValues>;

/** What the table must show of two evaluations, straight from the API's bodies (null where a figure is missing). */
function expectedFigures(a: EvaluationFigures, b: EvaluationFigures): TableValues {
  const pair = (key: keyof EvaluationFigures) => [a[key], b[key]] as [number | null, number | null];
  const latency = (f: EvaluationFigures, batch: number, p: 'p50_ms' | 'p99_ms') =>
    f.latency.find((l) => l.batch === batch)?.[p] ?? null;
  const out: TableValues = {};
  for (const key of ['accuracy', 'rmse', 'mae', 'loss', 'agreement', 'max_abs_diff', 'mean_abs_diff'] as const) {
    if (a[key] !== null || b[key] !== null) out[key] = pair(key);
  }
  for (const batch of [1, 64]) {
    out[`latency_p50_b${batch}`] = [latency(a, batch, 'p50_ms'), latency(b, batch, 'p50_ms')];
    out[`latency_p99_b${batch}`] = [latency(a, batch, 'p99_ms'), latency(b, batch, 'p99_ms')];
  }
  out.size_bytes = pair('size_bytes');
  out.gzip_bytes = pair('gzip_bytes');
  return out;
}

describeInBrowser('optimisation jobs and evaluation', () => {
  const env = consoleTestEnv();
  let dataset = '';
  let trainSet = '';
  let int8Job = '';

  const open = (path: string) => openConsole(env, path);
  const allEvents = (jobId: string) => allJobEvents(env.client.optimizationJobs, jobId);

  it('setup: a digits classifier the server trained, and the data to evaluate it on', async () => {
    const train = await env.client.datasets.create(readFileSync(join(DIGITS, 'train.csv'), 'utf8'), {
      format: 'csv',
      name: 'digits-train.csv',
    });
    dataset = (
      await env.client.datasets.create(readFileSync(join(DIGITS, 'test.csv'), 'utf8'), {
        format: 'csv',
        name: 'digits-test.csv',
      })
    ).id;
    trainSet = train.id;
    const job = await env.client.trainingJobs.create({
      model: MODEL,
      dataset: train.id,
      task: 'classification',
      target: 'label',
      architecture: { type: 'mlp', hidden_layers: [32] },
      optimizer: { type: 'adam', learning_rate: 0.01 },
      epochs: 8,
      seed: 3,
    });
    const done = await env.client.trainingJobs.wait(job.id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect((await env.client.models.retrieve(MODEL)).default_version).toBe('1');
  });

  it('quantises to int8 from the form: the report shows the API’s figures, and promote moves the default', async () => {
    const { page, problems } = await open('/optimization-jobs');
    await page.getByRole('link', { name: 'New optimisation job' }).click();
    await page.locator('#opt-model').waitFor();
    // Each method's fields start from their defaults; the gate shows the method's limits.
    expect(await page.locator('#opt-method').inputValue()).toBe('quantize');
    expect(await page.locator('#opt-precision').inputValue()).toBe('int8');
    expect(await page.locator('#opt-mode').inputValue()).toBe('dynamic');
    expect(await page.locator('#opt-per_channel').isChecked()).toBe(false);
    expect(await page.locator('#opt-min_agreement').getAttribute('placeholder')).toBe('0.995');
    expect(await page.locator('#opt-max_accuracy_drop_pt').getAttribute('placeholder')).toBe('0.5');
    expect(await page.locator('#opt-max_abs_diff').getAttribute('placeholder')).toBe('not checked');
    expect(await page.locator('#opt-promote').isChecked()).toBe(false);
    await page.locator('#opt-precision').selectOption('fp16');
    expect(await page.locator('#opt-max_abs_diff').getAttribute('placeholder')).toBe('0.002');
    await page.locator('#opt-method').selectOption('prune');
    expect(await page.locator('#opt-sparsity').inputValue()).toBe('0.9');
    expect(await page.locator('#opt-scope').inputValue()).toBe('global');
    await page.locator('#opt-fine_tune').check();
    expect(await page.locator('#opt-batch_size').inputValue()).toBe('32');
    expect(await page.locator('#opt-seed').inputValue()).toBe('0');
    expect(await page.locator('#opt-learning_rate').inputValue()).toBe('0.001');
    await page.locator('#opt-method').selectOption('distill');
    expect(await page.locator('#opt-temperature').inputValue()).toBe('4');
    expect(await page.locator('#opt-alpha').inputValue()).toBe('0.5');
    expect(await page.locator('#opt-student_hidden_layers').inputValue()).toBe('32');
    await page.locator('#opt-method').selectOption('quantize');
    await page.locator('#opt-precision').selectOption('int8');

    await page.locator('#opt-model').selectOption(MODEL);
    await page.locator('#opt-dataset').selectOption(dataset);
    expect(await page.locator('#opt-target').inputValue()).toBe('label');
    await screenshot(page, 'optimization-form');
    await page.getByRole('button', { name: 'Start optimisation' }).click();
    await page.waitForURL(/\/console\/optimization-jobs\/job_/, { timeout: 20_000 });
    const jobId = page.url().split('/').at(-1)!;
    int8Job = jobId;

    await page.getByTestId('report-table').waitFor({ timeout: 180_000 });
    const job: OptimizationJob = await env.client.optimizationJobs.retrieve(jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.method).toEqual({
      type: 'quantize',
      precision: 'int8',
      mode: 'dynamic',
      per_channel: false,
      reduce_range: false,
    });
    expect(job.evaluation).toEqual({ dataset, target: 'label', features: null });
    expect(job.promote).toBe(false);
    const report = job.report!;

    // Every figure of the table is the API's, parent then candidate.
    expect(await readTable(page, 'report-table')).toEqual({
      ...expectedFigures(report.parent, report.candidate),
      parameters: [report.parameters.before, report.parameters.after],
      sparsity: [report.sparsity.before, report.sparsity.after],
    });
    const accuracy = page.locator('[data-testid=report-table] tr[data-figure=accuracy] td');
    expect(await accuracy.nth(0).textContent()).toBe(`${(report.parent.accuracy! * 100).toFixed(2)} %`);
    expect(await accuracy.nth(1).textContent()).toBe(`${(report.candidate.accuracy! * 100).toFixed(2)} %`);
    const verdict = page.getByTestId('gate-verdict');
    expect(await verdict.getAttribute('data-passed')).toBe('true');
    expect(
      await verdict
        .locator('[data-testid=gate-checks] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-check'))),
    ).toEqual(report.gate.checks.map((c) => c.name));
    for (const reason of report.gate.reasons) expect(await verdict.textContent()).toContain(reason);

    // The stages all ran; the log has every event once.
    await expect
      .poll(() =>
        page.locator('[data-testid=stages] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state'))),
      )
      .toEqual(['done', 'done', 'done', 'done']);
    const events = await allEvents(jobId);
    expect(events.filter((e) => e.type === 'stage').map((e) => e.stage)).toEqual([
      'evaluating_parent',
      'optimizing',
      'evaluating_candidate',
      'publishing',
    ]);
    await expect.poll(() => page.locator('[data-testid=event-log] li').count()).toBe(events.length);
    expect(await page.locator('[data-testid=event-log] li[data-type=stage]').count()).toBe(4);

    // The candidate: published, not promoted, marked as such in the model list.
    expect(job.result).toEqual({ model: MODEL, version: '2' });
    const before = await env.client.models.retrieve(MODEL);
    expect(before.default_version).toBe('1');
    expect(before.versions.find((v) => v.version === '2')).toMatchObject({
      candidate: true,
      source: 'optimization',
      optimization_job: jobId,
      parent_version: '1',
    });
    expect(await page.getByTestId('model-default').textContent()).toBe('1');
    const list = await open('/models');
    const versions = list.page.locator(`tr[data-model="${MODEL}"] [data-col=versions]`);
    await versions.waitFor({ timeout: 20_000 });
    expect(await versions.textContent()).toBe('v1 READYv2 READYv2 candidate');
    expect(await list.page.locator(`tr[data-model="${MODEL}"] [data-col=default]`).textContent()).toBe('1');
    await list.page.close();
    await screenshot(page, 'optimization-report');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Promote: the API's default moves to the candidate, which is a candidate no more.
    await page.getByTestId('promote').getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => page.getByTestId('model-default').textContent(), { timeout: 20_000 }).toBe('2');
    const after = await env.client.models.retrieve(MODEL);
    expect(after.default_version).toBe('2');
    expect(after.pinned_version).toBe('2');
    expect(after.versions.find((v) => v.version === '2')?.candidate).toBeUndefined();
    const routing = (await env.client.models.events(MODEL)).data.at(-1)!;
    expect(routing.reason).toBe('promoted to version 2 in the console');
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('a failed gate: the report says why, nothing is published or promotable; the list by status', async () => {
    const job = await env.client.optimizationJobs.create({
      model: MODEL,
      version: '1',
      method: { type: 'quantize', precision: 'fp16' },
      evaluation: { dataset, target: 'label' },
      // Accuracy cannot rise by 100 points: the gate fails whatever the candidate does.
      gate: { max_accuracy_drop_pt: -100 },
    });
    const { page, problems } = await open(`/optimization-jobs/${job.id}`);
    await page.getByTestId('gate-verdict').waitFor({ timeout: 180_000 });
    const failed = await env.client.optimizationJobs.retrieve(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('gate_failed');
    expect(failed.result).toBeNull();
    expect(await page.getByTestId('gate-verdict').getAttribute('data-passed')).toBe('false');
    expect(await page.locator('[data-check=max_accuracy_drop_pt]').textContent()).toContain('failed');
    expect(await page.getByTestId('promote').count()).toBe(0);
    await expect.poll(() => page.getByTestId('job-status').first().textContent()).toBe('failed');
    expect(await page.locator('[data-testid=stages] li[data-state=stopped]').count()).toBe(1);
    expect(await readTable(page, 'report-table')).toMatchObject(
      expectedFigures(failed.report!.parent, failed.report!.candidate),
    );
    await screenshot(page, 'optimization-gate-failed');

    await page.getByRole('link', { name: 'Optimisation jobs' }).first().click();
    for (const status of ['failed', 'succeeded'] as const) {
      await page.getByRole('link', { name: status, exact: true }).click();
      await expect
        .poll(() =>
          page
            .locator('[data-testid=jobs-table] tbody tr')
            .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job'))),
        )
        .toEqual((await env.client.optimizationJobs.list({ status })).data.map((j) => j.id));
    }
    // The gate's failure is the job's, not the page's: no error on the page.
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('resumes a job page’s event stream with Last-Event-ID after the connection drops', async () => {
    const events = await allEvents(int8Job);
    const { page, problems, lastEventIds, droppedAfter, loggedIds } = await openWithDroppedStream(
      env,
      `/optimization-jobs/${int8Job}`,
      '**/v1/optimization-jobs/*/events*',
      5,
    );
    await expect
      .poll(() => page.locator('[data-testid=event-log] li').count(), { timeout: 30_000 })
      .toBe(events.length);
    expect(lastEventIds).toEqual([undefined, String(droppedAfter())]);
    expect(await loggedIds()).toEqual(events.map((e) => e.id));
    await page.getByTestId('report-table').waitFor();
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('distils with live curves per epoch, and cancels the job from its page', async () => {
    const long = await env.client.optimizationJobs.create({
      model: MODEL,
      version: '1',
      method: {
        type: 'distill',
        dataset: trainSet,
        student: { architecture: { type: 'mlp', hidden_layers: [16] } },
        temperature: 4,
        alpha: 0.5,
        epochs: 5000,
      },
      evaluation: { dataset, target: 'label' },
    });
    const { page, problems } = await open(`/optimization-jobs/${long.id}`);
    const chart = page.locator('#loss-chart');
    await expect.poll(() => chart.count(), { timeout: 120_000 }).toBe(1);
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(await page.locator('[data-testid=stages] li[data-stage=optimizing]').getAttribute('data-state')).toBe(
      'current',
    );
    await page.getByRole('button', { name: 'Cancel the job' }).click();
    await expect
      .poll(() => page.getByTestId('job-status').first().textContent(), { timeout: 60_000 })
      .toBe('cancelled');
    const cancelled = await env.client.optimizationJobs.retrieve(long.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.result).toBeNull();
    const metrics = (await allEvents(long.id)).filter((e) => e.type === 'metrics');
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.length).toBeLessThan(5000);
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(metrics.length));
    expect(await page.locator('[data-testid=stages] li[data-stage=optimizing]').getAttribute('data-state')).toBe(
      'stopped',
    );
    await screenshot(page, 'optimization-cancelled');
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });

  it('evaluates two versions side by side on the model page, as the API does', async () => {
    const { page, problems } = await open(`/models/${MODEL}`);
    const panel = page.getByTestId('evaluation');
    await panel.locator('#eval-dataset').waitFor({ timeout: 20_000 });
    await panel.locator('#eval-dataset').selectOption(dataset);
    expect(await panel.locator('#eval-target').inputValue()).toBe('label');
    await panel.locator('#eval-version').selectOption('2');
    await panel.locator('#eval-compare_to').selectOption('1');
    await panel.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('evaluation-table').waitFor({ timeout: 120_000 });
    const [api, reference] = await Promise.all([
      env.client.models.evaluate(MODEL, 2, { dataset, target: 'label', compare_to: '1' }),
      env.client.models.evaluate(MODEL, 1, { dataset, target: 'label' }),
    ]);
    const shown = await readTable(page, 'evaluation-table');
    const expected = expectedFigures(reference, api);
    // Latency is measured per call: the page's own run, not the test's; every other figure is deterministic.
    for (const key of Object.keys(expected)) {
      if (key.startsWith('latency_')) {
        expect(
          shown[key]!.every((v) => typeof v === 'number' && v > 0),
          key,
        ).toBe(true);
      } else {
        expect(shown[key], key).toEqual(expected[key]);
      }
    }
    expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
    expect(shown.agreement![1]).toBe(api.agreement);
    expect(await page.getByTestId('evaluation-summary').textContent()).toContain(`${api.rows} rows run`);
    await screenshot(page, 'model-evaluation');
    expect(problems.unexpected(ABORTED_STREAM)).toEqual([]);
    await page.close();
  });
});
