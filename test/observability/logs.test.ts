// The access log (one JSON line per request at info) and W3C traceparent: echoed, logged, carried into job logs.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../server/settings.js';
import { fakeRunner } from '../jobs/fake-runner.js';
import { settle } from '../jobs/support.js';
import { parseExposition, sampleValue } from '../support/exposition.js';
import { identityModel } from '../support/models.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose log lines are collected (JSON objects, or raw lines for logfmt). */
async function start(settings: Partial<Settings>, create: TestServerOptions['create'] = {}) {
  const lines: string[] = [];
  const stream = new PassThrough();
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  server = await startTestServer({
    models: { m: identityModel('FP32', [-1, 3]) },
    settings,
    create: { ...create, logStream: stream },
  });
  const json = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, json };
}

const infer = (headers: Record<string, string> = {}, version = '') =>
  fetch(`${server!.baseUrl}/v2/models/m${version}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] }),
  });

describe('access log', () => {
  it('writes one info line per request with request id, route, model, version, status, duration and the trace', async () => {
    const { json } = await start({ logLevel: 'info' });
    const traced = await infer({ traceparent: TRACEPARENT, 'x-request-id': 'client-7' });
    expect(traced.status).toBe(200);
    const echoed = traced.headers.get('traceparent')!;
    const [, traceId, spanId, flags] = echoed.split('-');
    expect([traceId, flags]).toEqual([TRACE, '01']);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe(PARENT);
    const plain = await infer({}, '/versions/1');
    const failed = await fetch(`${server!.baseUrl}/v2/models/m/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
      body: '{"inputs": [',
    });
    expect(failed.status).toBe(400);

    const requests = json().filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      level: 30,
      reqId: 'client-7',
      method: 'POST',
      route: '/v2/models/:model/infer',
      url: '/v2/models/m/infer',
      model: 'm',
      version: '1', // the version that answered, though the request named none
      status: 200,
      trace_id: TRACE,
      span_id: spanId,
      parent_id: PARENT,
    });
    expect(requests[0]!.duration_ms).toEqual(expect.any(Number));
    expect(requests[0]!.duration_ms as number).toBeGreaterThan(0);
    expect(requests[1]).toMatchObject({
      reqId: plain.headers.get('x-request-id'),
      route: '/v2/models/:model/versions/:version/infer',
      version: '1',
      status: 200,
    });
    expect(requests[1]).not.toHaveProperty('trace_id');
    expect(plain.headers.get('traceparent')).toBeNull();
    expect(requests[2]).toMatchObject({
      reqId: failed.headers.get('x-request-id'),
      status: 400,
      model: 'm',
      trace_id: TRACE,
      span_id: failed.headers.get('traceparent')!.split('-')[2],
    });
    // Fastify's own two lines per request are off: only ours.
    expect(json().filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toEqual([]);
  });

  it('ignores a malformed traceparent: no echo, no trace fields', async () => {
    const { json } = await start({ logLevel: 'info' });
    const res = await infer({ traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` });
    expect(res.status).toBe(200);
    expect(res.headers.get('traceparent')).toBeNull();
    const line = json().find((l) => l.msg === 'request')!;
    expect(line).not.toHaveProperty('trace_id');
  });

  it('above info writes nothing per request', async () => {
    const { lines } = await start({ logLevel: 'warn' });
    for (let i = 0; i < 3; i++) expect((await infer({ traceparent: TRACEPARENT })).status).toBe(200);
    expect(lines).toEqual([]);
  });

  it('at debug also logs each arrival, before the request is answered', async () => {
    const { json } = await start({ logLevel: 'debug' });
    const res = await infer({ traceparent: TRACEPARENT });
    const id = res.headers.get('x-request-id');
    const mine = json().filter((l) => l.reqId === id);
    expect(mine.map((l) => [l.msg, l.level])).toEqual([
      ['incoming request', 20],
      ['request', 30],
    ]);
    expect(mine[0]).toMatchObject({ method: 'POST', url: '/v2/models/m/infer', trace_id: TRACE });
  });

  it('writes logfmt when asked', async () => {
    const { lines } = await start({ logLevel: 'info', logFormat: 'logfmt' });
    const res = await infer({ traceparent: TRACEPARENT });
    const line = lines.find((l) => l.includes('msg=request'))!;
    expect(line).toMatch(/^time=\d{4}-\d\d-\d\dT[\d:.]+Z level=info msg=request /);
    expect(line).toContain(` reqId=${res.headers.get('x-request-id')} `);
    expect(line).toContain(` trace_id=${TRACE} `);
    expect(line).toContain(' route=/v2/models/:model/infer url=/v2/models/m/infer status=200 ');
    expect(line).toMatch(/ duration_ms=[\d.]+ model=m version=1$/);
    expect(line).not.toContain('pid=');
  });
});

describe('jobs', () => {
  it('count status changes and run time, and log each status with the trace of the request that created them', async () => {
    const fake = fakeRunner();
    const { json } = await start({ logLevel: 'info' }, { runner: fake.runner });
    const base = server!.baseUrl;
    const dataset = await fetch(`${base}/v1/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b,label\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n',
    }).then((r) => r.json());
    const create = (headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/training-jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          model: 'clf',
          dataset: dataset.id,
          task: 'classification',
          target: 'label',
          architecture: { type: 'logistic' },
          optimizer: { type: 'adam' },
          epochs: 2,
        }),
      }).then((r) => r.json());
    const first = await create({ traceparent: TRACEPARENT });
    const second = await create(); // queued behind the first (one job at a time)
    await settle();
    expect(fake.runs).toHaveLength(1);
    const waiting = parseExposition(await (await fetch(`${base}/metrics`)).text());
    expect(sampleValue(waiting, 'maas_jobs_queued', { kind: 'training' })).toBe(1);
    fake.runs[0]!.callbacks.failed({ code: 'diverged', message: 'loss is NaN' });
    await settle();
    await fetch(`${base}/v1/training-jobs/${second.id}/cancel`, { method: 'POST' });
    await settle();
    if (fake.runs.length > 1) fake.runs[1]!.callbacks.cancelled();

    const scrape = async () => parseExposition(await (await fetch(`${base}/metrics`)).text());
    let m = await scrape();
    for (
      let i = 0;
      i < 100 && sampleValue(m, 'maas_job_duration_seconds_count', { kind: 'training', status: 'failed' }) !== 1;
      i++
    ) {
      await settle();
      m = await scrape();
    }
    const jobs = (status: string) => sampleValue(m, 'maas_jobs_total', { kind: 'training', status });
    expect(jobs('queued')).toBe(2);
    expect(jobs('running')).toBe(fake.runs.length);
    expect(jobs('failed')).toBe(1);
    expect(jobs('cancelled')).toBe(1);
    expect(sampleValue(m, 'maas_jobs_queued', { kind: 'training' })).toBe(0);
    expect(sampleValue(m, 'maas_job_duration_seconds_count', { kind: 'training', status: 'failed' })).toBe(1);
    const ran = sampleValue(m, 'maas_job_duration_seconds_sum', { kind: 'training', status: 'failed' })!;
    expect(ran).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThan(60);

    const statusLines = json().filter((l) => l.msg === 'job status');
    expect(statusLines.filter((l) => l.job === first.id).map((l) => [l.status, l.trace_id])).toEqual([
      ['queued', TRACE],
      ['running', TRACE],
      ['failed', TRACE],
    ]);
    expect(statusLines.filter((l) => l.job === second.id).every((l) => !('trace_id' in l))).toBe(true);
    // The creating request's own access line carries the same trace.
    const createLine = json().find((l) => l.msg === 'request' && l.route === '/v1/training-jobs' && l.trace_id)!;
    expect(createLine).toMatchObject({ method: 'POST', status: 201, trace_id: TRACE });
    // The job's own `queued` event carries it too (and only the job created with one).
    const events = async (id: string) =>
      (await (await fetch(`${base}/v1/training-jobs/${id}/events`)).json()).data as Array<Record<string, unknown>>;
    expect((await events(first.id)).filter((e) => 'trace_id' in e)).toEqual([
      expect.objectContaining({ type: 'status', status: 'queued', trace_id: TRACE }),
    ]);
    expect((await events(second.id)).some((e) => 'trace_id' in e)).toBe(false);
  });
});
