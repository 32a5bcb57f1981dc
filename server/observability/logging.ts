// The server's logger (Fastify's pino): level and format from settings. At `info` and below each request gets a
// child logger bound to its request id and trace, and the access log writes one line per request; above `info`
// nothing is made or written per request (no child logger, no access line).
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { type CreateFastify, quietRequestLogging } from '../http/fastify.js';
import type { Settings } from '../settings.js';
import { logfmtDestination } from './log-format.js';
import { requestTrace, traceFields } from './trace.js';

/** Whether the level writes the access log (one `info` line per request). */
export function logsRequests(level: Settings['logLevel']): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
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

/** Fastify's `logger`, request logging and child logger options for these settings; logs go to `stream`. */
export function loggingOptions(
  Fastify: CreateFastify,
  settings: Pick<Settings, 'logLevel' | 'logFormat'>,
  stream: NodeJS.WritableStream = process.stderr,
): Partial<FastifyServerOptions> {
  const level = settings.logLevel;
  const logger =
    level === 'silent'
      ? false
      : { level, stream: settings.logFormat === 'logfmt' ? logfmtDestination(stream) : stream };
  const child = logsRequests(level) ? (tracedChildLogger as FastifyServerOptions['childLoggerFactory']) : undefined;
  return { logger, ...quietRequestLogging(Fastify, child) };
}
