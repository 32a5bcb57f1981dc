// GET /metrics on a real server: the exposition parses strictly, and its numbers are the requests the test made.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_FAMILIES } from '../../src/protocol/metric-families.js';
import { type Family, parseExposition, sampleValue } from '../support/exposition.js';
import { identityModel } from '../support/models.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.js';

// Prometheus's own checker, when installed (Debian: apt-get install prometheus); the strict reader runs regardless.
const promtool = spawnSync('promtool', ['--version']).error === undefined;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async (models: TestServerOptions['models'], settings = {}) => {
  server = await startTestServer({ models, settings: { intraOpThreads: 1, ...settings } });
  return server;
};

const post = (path: string, body: unknown) =>
  fetch(`${server!.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const rows = (n: number) => ({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [n, 3], data: Array.from({ length: 3 * n }, (_, i) => i) }],
});

async function scrape(base = server!.baseUrl, headers: Record<string, string> = {}): Promise<Map<string, Family>> {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await res.text());
}

const M = { model: 'm', version: '1' };
const route = (path: string, status: number, method = 'POST') => ({
  protocol: 'http',
  method,
  route: path,
  status: String(status),
});

describe('GET /metrics', () => {
  it('counts what was asked: successes, failures by code, rows, durations and HTTP requests by route and status', async () => {
    await start({ m: { onnx: identityModel('FP32', [-1, 3]) } });
    for (let i = 0; i < 3; i++) expect((await post('/v2/models/m/infer', rows(2))).status).toBe(200);
    expect((await post('/v2/models/m/versions/1/infer', rows(1))).status).toBe(200);
    expect((await post('/v1/models/m:predict', { instances: [[1, 2, 3]] })).status).toBe(200);
    const wrongShape = { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] };
    for (let i = 0; i < 2; i++) expect((await post('/v2/models/m/infer', wrongShape)).status).toBe(400);
    const wrongType = { inputs: [{ name: 'x', datatype: 'INT32', shape: [1, 3], data: [1, 2, 3] }] };
    expect((await post('/v2/models/m/infer', wrongType)).status).toBe(400);
    expect((await post('/v2/models/nope/infer', rows(1))).status).toBe(404);
    expect((await fetch(`${server!.baseUrl}/v1/nothing`)).status).toBe(404);

    const m = await scrape();
    expect(sampleValue(m, 'maas_inference_request_success_total', M)).toBe(5);
    expect(sampleValue(m, 'maas_inference_request_failure_total', { ...M, reason: 'input_shape_mismatch' })).toBe(2);
    expect(sampleValue(m, 'maas_inference_request_failure_total', { ...M, reason: 'datatype_mismatch' })).toBe(1);
    expect(m.get('maas_inference_request_failure_total')!.samples).toHaveLength(2);
    expect(sampleValue(m, 'maas_inference_count_total', M)).toBe(3 * 2 + 1 + 1);
    expect(sampleValue(m, 'maas_inference_exec_count_total', M)).toBe(5);
    for (const h of ['request_duration', 'queue_duration', 'compute_infer_duration']) {
      expect(sampleValue(m, `maas_inference_${h}_seconds_count`, M), h).toBe(5);
    }
    // Durations are real: the end-to-end sum covers the compute sum.
    const sum = (name: string) => sampleValue(m, `maas_inference_${name}_seconds_sum`, M)!;
    expect(sum('request_duration')).toBeGreaterThan(0);
    expect(sum('request_duration')).toBeGreaterThanOrEqual(sum('compute_infer_duration'));
    // Without a dynamic batcher, batch sizes say nothing (one request per execution): no series, no queue.
    expect(sampleValue(m, 'maas_inference_batch_size_count', M)).toBeUndefined();
    expect(sampleValue(m, 'maas_inference_inflight', M)).toBe(0);
    expect(sampleValue(m, 'maas_inference_queue_depth', M)).toBeUndefined(); // no dynamic batcher

    const http = (path: string, status: number, method?: string) =>
      sampleValue(m, 'maas_http_requests_total', route(path, status, method));
    expect(http('/v2/models/:model/infer', 200)).toBe(3);
    expect(http('/v2/models/:model/versions/:version/infer', 200)).toBe(1);
    expect(http('/v1/models/:model(^[^:/]+)::predict', 200)).toBe(1);
    expect(http('/v2/models/:model/infer', 400)).toBe(3);
    expect(http('/v2/models/:model/infer', 404)).toBe(1);
    expect(http('unmatched', 404, 'GET')).toBe(1);
    expect(http('/metrics', 200, 'GET')).toBeUndefined(); // counted once answered
    expect(sampleValue(await scrape(), 'maas_http_requests_total', route('/metrics', 200, 'GET'))).toBe(1);

    // The same numbers as Triton's statistics extension.
    const stats = (await (await fetch(`${server!.baseUrl}/v2/models/m/stats`)).json()).model_stats[0];
    expect(stats.inference_stats.success.count).toBe(5);
    expect(stats.inference_stats.fail.count).toBe(3);
    expect(stats.inference_count).toBe(8);
  });

  it('writes HELP and TYPE of every family in the table, and the process metrics', async () => {
    await start({ m: { onnx: identityModel('FP32', [-1, 3]) } });
    const m = await scrape();
    for (const family of METRIC_FAMILIES) {
      expect(m.get(family.name), family.name).toMatchObject({ type: family.type, help: family.help });
    }
    expect(m.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(sampleValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(m.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    // A loaded version shows zeros before its first request.
    expect(sampleValue(m, 'maas_inference_request_success_total', M)).toBe(0);
  });

  it('reports queue depth and in-flight requests of a dynamic batcher, and one execution for the batch', async () => {
    // A batch goes when it has max_batch_size rows: 3 one-row requests wait (the delay is far away) until a 4th.
    await start({
      m: {
        onnx: identityModel('FP32', [-1, 3]),
        config: { max_batch_size: 4, dynamic_batching: { max_queue_delay_microseconds: 60_000_000 } },
      },
    });
    const waiting = [1, 2, 3].map(() => post('/v2/models/m/infer', rows(1)));
    let m = await scrape();
    for (let tries = 0; tries < 200 && sampleValue(m, 'maas_inference_queue_depth', M) !== 3; tries++)
      m = await scrape();
    expect(sampleValue(m, 'maas_inference_queue_depth', M)).toBe(3);
    expect(sampleValue(m, 'maas_inference_inflight', M)).toBe(3);
    const last = post('/v2/models/m/infer', rows(1));
    for (const res of await Promise.all([...waiting, last])) expect(res.status).toBe(200);
    m = await scrape();
    expect(sampleValue(m, 'maas_inference_queue_depth', M)).toBe(0);
    expect(sampleValue(m, 'maas_inference_inflight', M)).toBe(0);
    expect(sampleValue(m, 'maas_inference_exec_count_total', M)).toBe(1);
    expect(sampleValue(m, 'maas_inference_request_success_total', M)).toBe(4);
    expect(sampleValue(m, 'maas_inference_batch_size_count', M)).toBe(1);
    expect(sampleValue(m, 'maas_inference_batch_size_bucket', { ...M, le: '2' })).toBe(0);
    expect(sampleValue(m, 'maas_inference_batch_size_bucket', { ...M, le: '4' })).toBe(1);
    expect(sampleValue(m, 'maas_inference_queue_duration_seconds_sum', M)).toBeGreaterThan(0);
  });

  it('needs the API key on --port; with --metrics-port it moves there, open, and leaves --port', async () => {
    server = await startTestServer({ apiKeys: ['k'] });
    expect((await fetch(`${server!.baseUrl}/metrics`)).status).toBe(401);
    await scrape(server!.baseUrl, { authorization: 'Bearer k' });
    await server!.close();

    server = await startTestServer({ apiKeys: ['k'], settings: { metricsPort: 0 } });
    const metricsUrl = server.server.metricsUrl!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(server.baseUrl);
    const off = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: 'Bearer k' } });
    expect([off.status, (await off.json()).code]).toEqual([404, 'not_found']);
    // Requests on --port are counted and scraped on the metrics port, without a key.
    expect(sampleValue(await scrape(metricsUrl), 'maas_http_requests_total', route('unmatched', 404, 'GET'))).toBe(1);
    const other = await fetch(`${metricsUrl}/v2`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({
      code: 'not_found',
      error: 'No route GET /v2; this port serves GET /metrics',
    });
    const wrongMethod = await fetch(`${metricsUrl}/metrics`, { method: 'POST' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it.runIf(promtool)('passes `promtool check metrics` (lint included) after traffic of every kind', async () => {
    await start({
      m: { onnx: identityModel('FP32', [-1, 3]) },
      b: { onnx: identityModel('FP32', [-1, 3]), config: { max_batch_size: 4, dynamic_batching: {} } },
    });
    await post('/v2/models/m/infer', rows(2));
    await post('/v2/models/b/infer', rows(1));
    await post('/v2/models/m/infer', { inputs: [] });
    await fetch(`${server!.baseUrl}/nothing`);
    const text = await (await fetch(`${server!.baseUrl}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
  it.skipIf(promtool)(
    'promtool check metrics: SKIPPED, promtool is not on PATH (apt-get install prometheus)',
    () => {},
  );
});

describe('docs/observability.md', () => {
  it('lists every metric family with its type and labels', () => {
    const doc = readFileSync(new URL('../../docs/observability.md', import.meta.url), 'utf8');
    for (const family of METRIC_FAMILIES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${family.name}\``));
      expect(row, family.name).toBeDefined();
      expect(row).toContain(` ${family.type} `);
      for (const label of family.labels) expect(row, `${family.name} ${label}`).toContain(`\`${label}\``);
    }
  });
});
