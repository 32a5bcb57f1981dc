// The server's logger (Fastify's pino): level and format from settings. At `info` and below each request gets a
// child logger bound to its request id and trace, and the access log writes one line per request; above `info`
// nothing is made or written per request (no child logger, no access line). The composition root hands these to
// Fastify (server/http/fastify.ts turns Fastify's own request lines off).
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Settings } from '../settings.js';
import { logfmtDestination } from './log-format.js';
import { requestTrace, traceFields } from './trace.js';

type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;

/** Whether the level writes the access log (one `info` line per request). */
export function logsRequests(level: Settings['logLevel']): boolean {
  return level === 'info' || logsArrivals(level);
}

/** Whether the level also logs each request's arrival (`debug` and `trace`). */
export function logsArrivals(level: Settings['logLevel']): boolean {
  return level === 'debug' || level === 'trace';
}

/** Fastify's `logger` option: pino at the level, writing JSON (or logfmt) to `stream`; false when silent. */
export function loggerOptions(
  settings: Pick<Settings, 'logLevel' | 'logFormat'>,
  stream: NodeJS.WritableStream = process.stderr,
): FastifyServerOptions['logger'] {
  if (settings.logLevel === 'silent') return false;
  return {
    level: settings.logLevel,
    stream: settings.logFormat === 'logfmt' ? logfmtDestination(stream) : stream,
  } as FastifyServerOptions['logger'];
}

function tracedChildLogger(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: object,
  raw: IncomingMessage,
): FastifyBaseLogger {
  const trace = requestTrace(raw);
  return logger.child(trace ? { ...bindings, ...traceFields(trace) } : bindings, options);
}

/** Each request's logger: a child bound to its request id and trace when the level logs requests; else none. */
export function requestLoggerFactory(level: Settings['logLevel']): ChildLoggerFactory | undefined {
  return logsRequests(level) ? (tracedChildLogger as ChildLoggerFactory) : undefined;
}
