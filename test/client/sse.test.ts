import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  MaasClient,
  NotFoundError,
  type TrainingJobEvent,
} from '../../src/index.js';
import {
  errorBody,
  type MockServer,
  recordingSleep,
  sendJson,
  startMockServer,
  TRANSPORTS,
} from './support/mock-server.js';

const EVENTS: TrainingJobEvent[] = [
  { id: 1, object: 'training_job.event', created_at: '2026-01-01T00:00:00.000Z', type: 'status', status: 'queued' },
  { id: 2, object: 'training_job.event', created_at: '2026-01-01T00:00:01.000Z', type: 'status', status: 'running' },
  metrics(3, 1),
  metrics(4, 2),
  { id: 5, object: 'training_job.event', created_at: '2026-01-01T00:00:04.000Z', type: 'status', status: 'succeeded' },
];

function metrics(id: number, epoch: number): TrainingJobEvent {
  return {
    id,
    object: 'training_job.event',
    created_at: '2026-01-01T00:00:02.000Z',
    type: 'metrics',
    metrics: { epoch, train_loss: 1 / epoch, learning_rate: 0.1, samples_per_second: 1000, elapsed_ms: epoch * 10 },
  };
}

const frame = (e: TrainingJobEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

function openSse(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'sse-1' });
  res.flushHeaders();
}

const JOB = (status: string) => ({ id: 'job_1', object: 'training_job', status });

describe.each(TRANSPORTS)('training job event stream over %s', (_name, transport) => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function makeClient(baseUrl: string) {
    const sleeper = recordingSleep();
    return { client: new MaasClient({ baseUrl, sleep: sleeper.sleep, ...transport }), delays: sleeper.delays };
  }

  it('resumes a stream cut mid-event with Last-Event-ID: no duplicate, no gap', async () => {
    let connection = 0;
    server = await startMockServer((req, res) => {
      expect(req.headers.accept).toBe('text/event-stream');
      connection++;
      openSse(res);
      if (connection === 1) {
        res.write(`: heartbeat\n\n${frame(EVENTS[0]!)}${frame(EVENTS[1]!)}`);
        res.write(frame(EVENTS[2]!));
        // Half of event 4, then the connection dies.
        res.write(`id: 4\nevent: metrics\ndata: {"id":4,"obj`, () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      // The server replays from the resume point; event 3 sent again must be dropped by the client.
      res.write(frame(EVENTS[2]!));
      res.write(frame(EVENTS[3]!));
      res.end(frame(EVENTS[4]!));
    });
    const { client } = makeClient(server.baseUrl);
    const stream = client.trainingJobs.stream('job_1');
    const seen: number[] = [];
    for await (const event of stream) seen.push(event.id);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(stream.lastEventId).toBe(5);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.headers['last-event-id']).toBeUndefined();
    expect(server.requests[1]!.headers['last-event-id']).toBe('3');
    expect(server.requests[1]!.query.get('after')).toBe('3');
    expect(server.requests[1]!.pathname).toBe('/v1/training-jobs/job_1/events');
  });

  it('starts after a given event id', async () => {
    server = await startMockServer((req, res) => {
      openSse(res);
      const after = Number(req.headers['last-event-id']);
      res.end(
        EVENTS.filter((e) => e.id > after)
          .map(frame)
          .join(''),
      );
    });
    const { client } = makeClient(server.baseUrl);
    const ids: number[] = [];
    for await (const e of client.trainingJobs.stream('job_1', { after: 3 })) ids.push(e.id);
    expect(ids).toEqual([4, 5]);
    expect(server.requests[0]!.query.get('after')).toBe('3');
  });

  it('drops a silent connection after the idle timeout and resumes', async () => {
    let connection = 0;
    server = await startMockServer((_req, res) => {
      openSse(res);
      if (++connection === 1) {
        res.write(frame(EVENTS[0]!) + frame(EVENTS[1]!));
        return; // then silence, connection left open
      }
      res.end(EVENTS.slice(2).map(frame).join(''));
    });
    const { client } = makeClient(server.baseUrl);
    const ids: number[] = [];
    for await (const e of client.trainingJobs.stream('job_1', { idleTimeout: 150 })) ids.push(e.id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['last-event-id']).toBe('2');
  });

  it('closes the connection when the consumer breaks out', async () => {
    let closed: () => void = () => {};
    const closedPromise = new Promise<void>((resolve) => {
      closed = resolve;
    });
    server = await startMockServer((_req, res, raw) => {
      openSse(res);
      res.write(frame(EVENTS[0]!) + frame(EVENTS[1]!));
      raw.socket.on('close', () => closed());
    });
    const { client } = makeClient(server.baseUrl);
    for await (const e of client.trainingJobs.stream('job_1')) {
      expect(e.id).toBe(1);
      break;
    }
    await closedPromise;
    expect(server.requests).toHaveLength(1);
  });

  it('ends when the job already finished and nothing is left to replay', async () => {
    server = await startMockServer((req, res) => {
      if (req.pathname === '/v1/training-jobs/job_1') return sendJson(res, 200, JOB('failed'));
      openSse(res);
      res.end(': heartbeat\n\n');
    });
    const { client } = makeClient(server.baseUrl);
    const ids: number[] = [];
    for await (const e of client.trainingJobs.stream('job_1', { after: 9 })) ids.push(e.id);
    expect(ids).toEqual([]);
    expect(server.requests.map((r) => r.pathname)).toEqual([
      '/v1/training-jobs/job_1/events',
      '/v1/training-jobs/job_1',
    ]);
  });

  it('throws NotFoundError for an unknown job, without reconnecting', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 404, errorBody(404, 'job_not_found')));
    const { client } = makeClient(server.baseUrl);
    const err = await (async () => {
      for await (const _ of client.trainingJobs.stream('job_nope')) {
        // nothing
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('job_not_found');
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxReconnects connections that bring nothing', async () => {
    server = await startMockServer((_req, res) => {
      openSse(res);
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const { client, delays } = makeClient(server.baseUrl);
    const err = await (async () => {
      for await (const _ of client.trainingJobs.stream('job_1', { maxReconnects: 2 })) {
        // nothing
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('rejects with APIUserAbortError when the signal fires mid-stream', async () => {
    server = await startMockServer((_req, res) => {
      openSse(res);
      res.write(frame(EVENTS[0]!));
    });
    const { client } = makeClient(server.baseUrl);
    const controller = new AbortController();
    const err = await (async () => {
      for await (const _ of client.trainingJobs.stream('job_1', { signal: controller.signal })) controller.abort();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  it('wait() reports every event once and returns the final job', async () => {
    server = await startMockServer((req, res) => {
      if (req.pathname === '/v1/training-jobs/job_1') return sendJson(res, 200, JOB('succeeded'));
      openSse(res);
      res.end(EVENTS.map(frame).join(''));
    });
    const { client } = makeClient(server.baseUrl);
    const seen: number[] = [];
    const job = await client.trainingJobs.wait('job_1', { onEvent: (e) => seen.push(e.id) });
    expect(job.status).toBe('succeeded');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('wait() rejects with APITimeoutError after its total timeout', async () => {
    server = await startMockServer((_req, res) => {
      openSse(res);
      res.write(frame(EVENTS[0]!));
    });
    const { client } = makeClient(server.baseUrl);
    const err = await client.trainingJobs.wait('job_1', { timeout: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect((err as Error).message).toContain('job_1');
  });
});
