// Per HTTP request: the traceparent echo (from the one onRequest hook), the request counter and, at `info`, the
// access log line (one onResponse hook). gRPC will count its calls through the same ServerMetrics.countRequest.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerMetrics } from './metrics.js';
import { formatTraceparent, requestTrace } from './trace.js';

/** The route label of requests no route matched (404s): never the raw path, which would explode the series. */
export const UNMATCHED_ROUTE = 'unmatched';

declare module 'fastify' {
  interface FastifyRequest {
    /** The model version that answered (set by the inference routes), for the access log. */
    servedVersion: string | null;
  }
}

/** Echoes the trace of a request that sent a valid traceparent, with this request's span. Cheap without one. */
export function echoTraceparent(request: FastifyRequest, reply: FastifyReply): void {
  if (request.headers.traceparent === undefined) return;
  const trace = requestTrace(request.raw);
  if (trace) reply.header('traceparent', formatTraceparent(trace));
}

/** Notes which version answered an inference request (the route knows it; the access log reports it). */
export function noteServedVersion(request: FastifyRequest, version: string): void {
  request.servedVersion = version;
}

/** The request id, route, model, version, status and duration of one request (its trace comes from the bindings). */
function accessLine(request: FastifyRequest, reply: FastifyReply, route: string): Record<string, unknown> {
  const params = request.params as Record<string, string | undefined> | undefined;
  const line: Record<string, unknown> = {
    method: request.method,
    route,
    url: request.url,
    status: reply.statusCode,
    duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
  };
  if (params?.model !== undefined) line.model = params.model;
  const version = request.servedVersion ?? params?.version ?? params?.label;
  if (version !== undefined) line.version = version;
  return line;
}

export interface HttpLogging {
  /** One `request` line per answered request, at info. */
  accessLog: boolean;
  /** Also an `incoming request` line when a request arrives, at debug (a request that never ends still shows). */
  arrivals: boolean;
}

/** Counts every answered request and writes the access log as asked. Call before routes are added. */
export function observeHttp(app: FastifyInstance, metrics: ServerMetrics, { accessLog, arrivals }: HttpLogging): void {
  app.decorateRequest('servedVersion', null);
  if (arrivals) {
    app.addHook('onRequest', (request, _reply, done) => {
      request.log.debug({ method: request.method, url: request.url }, 'incoming request');
      done();
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.countRequest('http', request.method, route, reply.statusCode);
    if (accessLog) request.log.info(accessLine(request, reply, route), 'request');
    done();
  });
}
