import type { FastifyReply } from 'fastify';

/** One Server-Sent Events stream on a hijacked reply: framing, heartbeats and the end, nothing about what it carries. */
export interface SseStream {
  /** Writes one event (`id:`, `event:`, `data:` lines). */
  send(id: number | string, event: string, data: unknown): void;
  /** Ends the stream (idempotent); `onEnd` listeners run once. */
  end(): void;
  readonly ended: boolean;
  /** Runs when the stream ends, by `end()` or because the client went away. */
  onEnd(listener: () => void): void;
}

/**
 * Starts an SSE response: 200 with the reply's headers so far (x-request-id, ...), `: heartbeat` comments every
 * `heartbeatMs` while it is open so proxies keep it, and the end when the client disconnects.
 */
export function openSseStream(reply: FastifyReply, heartbeatMs: number): SseStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const listeners: Array<() => void> = [];
  let ended = false;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  const stream: SseStream = {
    send(id, event, data) {
      if (!ended) res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      for (const listener of listeners.splice(0)) listener();
      if (!res.writableEnded) res.end();
    },
    get ended() {
      return ended;
    },
    onEnd(listener) {
      if (ended) listener();
      else listeners.push(listener);
    },
  };
  res.on('close', () => stream.end());
  return stream;
}
