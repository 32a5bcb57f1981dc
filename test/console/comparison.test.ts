import { expect, it } from 'vitest';
import { changeOf, figureRows, formatFigure, reportRows } from '../../server/console/src/lib/comparison.js';
import { eventText, stageStates } from '../../server/console/src/lib/job-events.js';
import type { EvaluationFigures, OptimizationJobEvent, OptimizationReport } from '../../src/index.js';

const figures = (extra: Partial<EvaluationFigures>): EvaluationFigures => ({
  task: 'classification',
  output: 'probabilities',
  target: 'label',
  features: ['x'],
  rows: 360,
  labelled_rows: 360,
  accuracy: 0.9639,
  loss: 0.2265,
  rmse: null,
  mae: null,
  agreement: null,
  max_abs_diff: null,
  mean_abs_diff: null,
  latency: [
    { batch: 1, runs: 200, p50_ms: 0.032, p99_ms: 1.88, mean_ms: 0.1 },
    { batch: 64, runs: 50, p50_ms: 0.045, p99_ms: 1.71, mean_ms: 0.2 },
  ],
  size_bytes: 12019,
  gzip_bytes: 10695,
  ...extra,
});

const parent = figures({});
const candidate = figures({
  accuracy: 0.9611,
  loss: 0.224,
  agreement: 0.9972,
  max_abs_diff: 0.126,
  mean_abs_diff: 0.001,
  latency: [
    { batch: 1, runs: 200, p50_ms: 0.025, p99_ms: 0.12, mean_ms: 0.1 },
    { batch: 64, runs: 50, p50_ms: 0.033, p99_ms: 0.063, mean_ms: 0.2 },
  ],
  size_bytes: 5669,
  gzip_bytes: 4450,
});

it('lists the figures either version has, raw and as they read, with the change from the reference', () => {
  const rows = figureRows(parent, candidate);
  expect(rows.map((r) => r.key)).toEqual([
    'accuracy',
    'loss',
    'agreement',
    'max_abs_diff',
    'mean_abs_diff',
    'latency_p50_b1',
    'latency_p99_b1',
    'latency_p50_b64',
    'latency_p99_b64',
    'size_bytes',
    'gzip_bytes',
  ]);
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  expect(by.accuracy).toEqual({
    key: 'accuracy',
    label: 'Accuracy',
    kind: 'share',
    values: [0.9639, 0.9611],
    text: ['96.39 %', '96.11 %'],
    change: '−0.28 pt',
  });
  expect(by.agreement!.text).toEqual(['–', '99.72 %']);
  expect(by.agreement!.change).toBe('');
  expect(by.latency_p99_b1!.values).toEqual([1.88, 0.12]);
  expect(by.latency_p99_b1!.text).toEqual(['1.88 ms', '120 µs']);
  expect(by.latency_p99_b1!.change).toBe('×0.0638');
  expect(by.size_bytes!.text).toEqual(['11.7 KiB (12019 B)', '5.5 KiB (5669 B)']);
  expect(by.size_bytes!.change).toBe('×0.472');
});

it('a regression shows RMSE and MAE, not accuracy; a latency batch only one side has is a row with a dash', () => {
  const reg = (extra: Partial<EvaluationFigures>) =>
    figures({ task: 'regression', accuracy: null, rmse: 0.5, mae: 0.4, loss: 0.25, ...extra });
  const rows = figureRows(
    reg({}),
    reg({ rmse: 0.51, latency: [{ batch: 8, runs: 10, p50_ms: 1, p99_ms: 2, mean_ms: 1 }] }),
  );
  const keys = rows.map((r) => r.key);
  expect(keys).not.toContain('accuracy');
  expect(keys.slice(0, 3)).toEqual(['rmse', 'mae', 'loss']);
  const rmse = rows.find((r) => r.key === 'rmse')!;
  expect(rmse.change).toBe('×1.02');
  const b8 = rows.find((r) => r.key === 'latency_p50_b8')!;
  expect(b8.values).toEqual([null, 1]);
  expect(b8.text).toEqual(['–', '1.00 ms']);
});

it('an optimisation report adds parameters and sparsity', () => {
  const report = {
    parent,
    candidate,
    parameters: { before: 2410, after: 2413 },
    sparsity: { before: 0, after: 0.9 },
  } as unknown as OptimizationReport;
  const rows = reportRows(report);
  expect(rows.slice(-2)).toEqual([
    {
      key: 'parameters',
      label: 'Parameters',
      kind: 'count',
      values: [2410, 2413],
      text: ['2410', '2413'],
      change: '×1',
    },
    {
      key: 'sparsity',
      label: 'Sparsity',
      kind: 'share',
      values: [0, 0.9],
      text: ['0.00 %', '90.00 %'],
      change: '+90.00 pt',
    },
  ]);
});

it('formats figures and changes', () => {
  expect(formatFigure('share', null)).toBe('–');
  expect(formatFigure('number', Number.NaN)).toBe('–');
  expect(formatFigure('bytes', 900)).toBe('900 B');
  expect(formatFigure('number', 2.9149e-19)).toBe('2.9149e-19');
  expect(changeOf('number', 0, 0)).toBe('×1');
  expect(changeOf('number', 0, 1)).toBe('');
  expect(changeOf('share', 0.5, 0.5)).toBe('+0.00 pt');
});

it('says where a job is in its stages', () => {
  expect(stageStates(null, 'queued')).toEqual(['pending', 'pending', 'pending', 'pending']);
  expect(stageStates('optimizing', 'running')).toEqual(['done', 'current', 'pending', 'pending']);
  expect(stageStates('evaluating_candidate', 'failed')).toEqual(['done', 'done', 'stopped', 'pending']);
  expect(stageStates('publishing', 'succeeded')).toEqual(['done', 'done', 'done', 'done']);
});

it('writes a stage event as a log line', () => {
  const e = { id: 5, object: 'optimization_job.event', created_at: '', type: 'stage', stage: 'optimizing' } as const;
  expect(eventText(e as OptimizationJobEvent)).toBe('stage → optimizing');
  expect(eventText({ ...e, type: 'message', message: 'Gate: passed' } as OptimizationJobEvent)).toBe('Gate: passed');
});
