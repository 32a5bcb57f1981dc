// A pass-through proxy in front of a real server that can lose a response after the server has acted on the request,
// the failure idempotency keys exist for.
import { type MockServer, type RecordedRequest, startMockServer } from './mock-server.js';

/** Decides, per proxied request, whether the client gets the response or a reset connection. */
export type FaultRule = (req: RecordedRequest, index: number) => 'pass' | 'drop-response';

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export function startFaultProxy(target: string, rule: FaultRule): Promise<MockServer> {
  let index = 0;
  return startMockServer(async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(req.body),
    });
    const body = new Uint8Array(await upstream.arrayBuffer());
    if (rule(req, index++) === 'drop-response') {
      res.socket?.destroy();
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value;
    });
    res.writeHead(upstream.status, out);
    res.end(body);
  });
}
