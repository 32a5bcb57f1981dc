import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSse } from '../support/openapi-validator.js';
import { BASE, useMock } from './harness.js';

const CSV = 'a,b,y\n1,2,0\n2,1,1\n3,3,0\n0,1,1\n';

async function startJob(call: ReturnType<typeof useMock>['call'], epochs = 2): Promise<string> {
  const ds = await call('POST', '/v1/datasets', { body: CSV, headers: { 'content-type': 'text/csv' } });
  const job = await call('POST', '/v1/training-jobs', {
    json: {
      model: 'm',
      dataset: ds.body.id,
      task: 'classification',
      target: 'y',
      architecture: { type: 'logistic' },
      optimizer: { type: 'sgd' },
      epochs,
    },
  });
  return job.body.id;
}

/** Reads an SSE response to its end, collecting raw text (the stream must end by itself). */
async function readAll(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

const sse = (jobId: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${BASE}/v1/training-jobs/${jobId}/events${query}`, { headers: { accept: 'text/event-stream', ...headers } });

describe('SSE job events with advance()', () => {
  const { call, state } = useMock({ clock: false });

  it('replays a finished job and ends after the terminal status event; the stream validates against the spec', async () => {
    const id = await startJob(call);
    state.advance();
    const r = await call('GET', `/v1/training-jobs/${id}/events`, { headers: { accept: 'text/event-stream' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(r.body);
    expect(events.map((e) => `${e.id}:${e.event}`)).toEqual([
      '1:status',
      '2:status',
      '3:message',
      '4:metrics',
      '5:metrics',
      '6:message',
      '7:status',
    ]);
    expect(JSON.parse(events[6]!.data)).toMatchObject({ id: 7, type: 'status', status: 'succeeded' });
  });

  it('resumes after Last-Event-ID (or ?after=), and ends at once when the terminal event was seen', async () => {
    const id = await startJob(call);
    state.advance();
    const resumed = parseSse(await readAll(await sse(id, { 'last-event-id': '3' })));
    expect(resumed.map((e) => e.id)).toEqual(['4', '5', '6', '7']);
    const after = parseSse(await readAll(await sse(id, {}, '?after=5')));
    expect(after.map((e) => e.id)).toEqual(['6', '7']);
    expect(await readAll(await sse(id, { 'last-event-id': '7' }))).toBe('');
  });

  it('follows a live job: events arrive as advance() runs steps', async () => {
    const id = await startJob(call);
    const response = await sse(id);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const next = async () => parseSse(decoder.decode((await reader.read()).value));
    expect((await next()).map((e) => e.id)).toEqual(['1']);
    state.advance(1);
    expect((await next()).map((e) => e.event)).toEqual(['status']);
    expect((await next()).map((e) => e.event)).toEqual(['message']);
    state.advance(1);
    const metrics = await next();
    expect(JSON.parse(metrics[0]!.data).metrics.epoch).toBe(1);
    state.advance();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value);
    }
    expect(parseSse(rest).map((e) => e.id)).toEqual(['5', '6', '7']);
  });

  it('an aborted stream stops listening to the state (no leaked listener)', async () => {
    const listeners = () => (state.jobs as unknown as { listeners: Set<unknown> }).listeners.size;
    const id = await startJob(call);
    const abort = new AbortController();
    const response = await fetch(`${BASE}/v1/training-jobs/${id}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    await response.body!.getReader().read();
    expect(listeners()).toBe(1);
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(listeners()).toBe(0);
    expect(state.advance()).toBe(3);
  });
});

describe('SSE job events driven by (fake) time', () => {
  const { call } = useMock({ clock: { speed: 1, epochMs: 100 }, heartbeatMs: 250 });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('streams each step when its time comes, with heartbeats while idle, and ends', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const t0 = Date.now();
    const id = await startJob(call, 3);
    const response = await sse(id);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(parseSse(text).map((e) => e.id)).toEqual(['1']);
    const pending = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value);
      }
    })();
    await vi.advanceTimersByTimeAsync(100);
    expect(parseSse(text).map((e) => e.id)).toEqual(['1', '2', '3']);
    await vi.advanceTimersByTimeAsync(150);
    expect(text).toContain(': heartbeat\n\n');
    await vi.advanceTimersByTimeAsync(1000);
    await pending;
    expect(parseSse(text).map((e) => e.event)).toEqual([
      'status',
      'status',
      'message',
      'metrics',
      'metrics',
      'metrics',
      'message',
      'status',
    ]);
    // Steps fall due at t0 + 100 (start), + 200, + 300, + 400 (epochs; the last also deploys and succeeds).
    expect(JSON.parse(parseSse(text).at(-1)!.data).created_at).toBe(new Date(t0 + 400).toISOString());
  });
});
