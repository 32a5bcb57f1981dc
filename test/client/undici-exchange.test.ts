// The Node transport sends with undici's dispatch() handler API and reads bodies itself: these pin what
// undici.request() used to guarantee (whole bodies across chunks, UTF-8, BOM, streams with backpressure, aborts).
import type { ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError, APIUserAbortError, MaasClient } from '../../src/index.js';
import { type MockServer, startMockServer } from './support/mock-server.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `parts` one by one with a pause between, so the client receives several chunks. */
async function writeInParts(res: ServerResponse, parts: (string | Buffer)[], headers: Record<string, string>) {
  res.writeHead(200, headers);
  for (const part of parts) {
    res.write(part);
    await pause(5);
  }
  res.end();
}

describe('undici transport (dispatch handler)', () => {
  it('reads a JSON body that arrives in several chunks, a UTF-8 character split between two of them', async () => {
    const text = JSON.stringify({ name: 'héllo 😀 日本', platform: 'x' });
    const bytes = Buffer.from(text);
    const split = bytes.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte emoji
    server = await startMockServer((_req, res) =>
      writeInParts(res, [bytes.subarray(0, split), bytes.subarray(split)], { 'content-type': 'application/json' }),
    );
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    await expect(client.models.metadata('m')).resolves.toEqual(JSON.parse(text));
    await client.close();
  });

  it('drops a leading BOM as undici.request() did', async () => {
    server = await startMockServer((_req, res) =>
      writeInParts(res, ['\uFEFF{"name":"m"}'], { 'content-type': 'application/json' }),
    );
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    await expect(client.models.metadata('m')).resolves.toEqual({ name: 'm' });
    await client.close();
  });

  it('reads binary bodies in several chunks byte for byte', async () => {
    const header = Buffer.from(
      JSON.stringify({
        model_name: 'm',
        outputs: [{ name: 'y', datatype: 'UINT8', shape: [3000], parameters: { binary_data_size: 3000 } }],
      }),
    );
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    server = await startMockServer((_req, res) =>
      writeInParts(res, [header, data.subarray(0, 1000), data.subarray(1000)], {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      }),
    );
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const result = await client.models.infer('m', { inputs: { x: { data: new Uint8Array(1) } }, binary: true });
    expect(Buffer.from(result.output('y').data as Uint8Array).equals(data)).toBe(true);
    await client.close();
  });

  it('streams a large SSE body to a slow reader without losing or reordering events', async () => {
    const events = Array.from({ length: 400 }, (_, i) => ({
      id: i + 1,
      object: 'training_job.event',
      created_at: '2026-01-01T00:00:00Z',
      type: 'message',
      message: `event ${i + 1} ${'x'.repeat(400)}`,
    }));
    server = await startMockServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // ~170 KB written at once: more than the transport buffers before it pauses the socket.
      res.write(events.map((e) => `id: ${e.id}\nevent: message\ndata: ${JSON.stringify(e)}\n\n`).join(''));
      const end = { ...events[0]!, id: 401, type: 'status', status: 'succeeded', message: undefined };
      res.end(`id: 401\nevent: status\ndata: ${JSON.stringify(end)}\n\n`);
    });
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const ids: number[] = [];
    for await (const event of client.trainingJobs.stream('job_1')) {
      ids.push(event.id);
      if (ids.length % 50 === 0) await pause(2);
    }
    expect(ids).toEqual(Array.from({ length: 401 }, (_, i) => i + 1));
    await client.close();
  });

  it('closes the connection when the reader stops early', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => {
      closed = resolve;
    });
    server = await startMockServer((_req, res, raw) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = { id: 1, object: 'training_job.event', created_at: 'now', type: 'message', message: 'hi' };
      res.write(`id: 1\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
      raw.socket.on('close', closed);
    });
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    for await (const event of client.trainingJobs.stream('job_1')) {
      expect(event.id).toBe(1);
      break;
    }
    await serverSawClose;
    await client.close();
  });

  it('times out an attempt that never gets a connection (the socket never opens)', async () => {
    // A connector that never calls back: undici has no request on a socket yet, so nothing of its own can abort it.
    const agent = new Agent({ connect: () => {} });
    const client = new MaasClient({ baseUrl: 'http://127.0.0.1:9', dispatcher: agent, timeout: 100, maxRetries: 0 });
    await expect(client.server.metadata()).rejects.toBeInstanceOf(APITimeoutError);
    const ac = new AbortController();
    const pending = client.server.metadata({ signal: ac.signal, timeout: 0 });
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await agent.destroy();
  });
});
