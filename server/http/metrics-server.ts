// `--metrics-port`: `GET /metrics` on a port of its own, without API keys (bind it where only the scraper reaches).
// A plain node:http server: one route, nothing else of the API.
import { createServer, type Server } from 'node:http';
import { errorBody } from '../../src/protocol/error-body.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { ServerLogger } from '../services.js';
import { requestIdFor } from './request-id.js';

export interface MetricsServer {
  /** `http://HOST:PORT`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0 = a free port) and answers `GET /metrics`; anything else is a 404 (405 for /metrics). */
export async function listenMetrics(
  metrics: ServerMetrics,
  host: string,
  port: number,
  log: ServerLogger,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const requestId = requestIdFor(req);
    const fail = (status: number, code: 'not_found' | 'method_not_allowed' | 'internal', message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
      res.end(JSON.stringify(errorBody({ status, code, message }, requestId)));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics')
      return fail(404, 'not_found', `No route ${req.method} ${path}; this port serves GET /metrics`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET');
      return fail(405, 'method_not_allowed', `${req.method} is not allowed on /metrics; allowed: GET`);
    }
    metrics.scrape().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType, 'x-request-id': requestId });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        log.error({ err, reqId: requestId }, 'metrics scrape failed');
        fail(500, 'internal', 'Internal server error');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
