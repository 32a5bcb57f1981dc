// msw intercepts the global fetch only, never undici's own `request()` — the SDK's default Node transport. This bridge
// puts the msw handlers behind a real socket: each node:http request becomes a fetch Request, msw's `getResponse`
// answers it, and the Response body is streamed back as it is produced (SSE included; a client that hangs up
// aborts the Request, which ends the mock's stream).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface MswBridge {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the bridge on 127.0.0.1, port 0; `handlersFor` gets its base URL (msw handlers match absolute URLs). */
export async function startMswBridge(handlersFor: (baseUrl: string) => RequestHandler[]): Promise<MswBridge> {
  let handlers: RequestHandler[] = [];
  let baseUrl = '';
  const server = createServer((req, res) => {
    serve(handlers, baseUrl, req, res).catch((error: unknown) => {
      // A bridge failure must not look like a contract answer: a 502 that no operation declares fails validation.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`msw bridge: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handlers = handlersFor(baseUrl);
  return {
    baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function serve(
  handlers: RequestHandler[],
  baseUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hangUp = new AbortController();
  res.on('close', () => hangUp.abort());
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  const request = new Request(`${baseUrl}${req.url ?? '/'}`, {
    method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : undefined,
    signal: hangUp.signal,
  });
  const response = await getResponse(handlers, request);
  if (!response) {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`msw bridge: no handler answered ${method} ${req.url}`);
    return;
  }
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });
  res.writeHead(response.status, response.statusText, outHeaders);
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  hangUp.signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    res.write(value);
  }
  res.end();
}
