import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { components } from '../../src/generated/openapi.js';
import { ContractError } from '../../src/protocol/contract-error.js';
import { errorBody } from '../../src/protocol/error-body.js';
import { isProtocolError } from '../../src/protocol/errors.js';
import { type ErrorCode, MaasServerError } from '../errors.js';
import { requestTrace, traceFields } from '../observability/trace.js';

type ErrorBody = components['schemas']['Error'];

const errorCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_json',
  'invalid_input',
  'invalid_parameter',
  'input_shape_mismatch',
  'datatype_mismatch',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'not_found',
  'method_not_allowed',
  'model_not_found',
  'version_not_found',
  'model_not_ready',
  'model_invalid',
  'dataset_not_found',
  'dataset_invalid',
  'job_not_found',
  'invalid_job_state',
  'training_spec_invalid',
  'idempotency_conflict',
  'rate_limited',
  'overloaded',
  'unavailable',
  'internal',
]);

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorBody['details'];
  headers?: Record<string, string>;
}

const statusCodes: Record<number, ErrorCode> = {
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * THE place where anything thrown becomes the `Error` body of openapi.yaml: our own errors, the protocol codecs'
 * errors, Fastify's own (body too large, bad media type, ...). Unknown errors are a 500 `internal` whose message
 * says nothing about the internals; the details go to the log.
 */
export function mapError(err: unknown, maxBodySize: number, request?: FastifyRequest): Mapped {
  if (err instanceof ContractError) {
    const mapped: Mapped = { status: err.status, code: err.code, message: err.message };
    if (err.details) mapped.details = err.details;
    if (err.headers) mapped.headers = err.headers;
    return mapped;
  }
  if (isProtocolError(err)) {
    // The codecs' errors: a 400 with their code (413 when a tensor is too large).
    const code = errorCodes.has(err.code) ? (err.code as ErrorCode) : 'invalid_input';
    return { status: code === 'payload_too_large' ? 413 : 400, code, message: err.message };
  }
  const fastifyError = err as Partial<FastifyError> | undefined;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const length = Number(request?.headers['content-length']);
      const size = Number.isFinite(length) && length > maxBodySize ? `${length} bytes` : 'larger than that';
      return {
        status: 413,
        code: 'payload_too_large',
        message: `Request body is ${size}; the limit is ${maxBodySize} bytes (--max-body-size)`,
      };
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request?.headers['content-type'];
      return {
        status: 415,
        code: 'unsupported_media_type',
        message: `Content-Type '${type ?? '(none)'}' is not supported; this server reads application/json, application/octet-stream, text/csv and application/x-ndjson`,
      };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: 'Request body is empty; expected a JSON document' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'invalid_input', message: 'Content-Length does not match the body that was sent' };
    case 'FST_ERR_VALIDATION':
      return { status: 400, code: 'invalid_parameter', message: fastifyError.message ?? 'Invalid request' };
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: statusCodes[status] ?? 'invalid_input', message: fastifyError?.message || 'Bad request' };
  }
  return { status: 500, code: 'internal', message: 'Internal server error' };
}

/** Sends an error the one way errors are sent (also used by hooks that answer before routing). */
export function sendError(reply: FastifyReply, err: unknown, maxBodySize: number): FastifyReply {
  const request = reply.request;
  const mapped = mapError(err, maxBodySize, request);
  if (mapped.status >= 500) {
    // Above info the request logger is the server's own (no per-request child): name the request (and trace) here.
    const bound = (request.log as { bindings?: () => Record<string, unknown> }).bindings?.().reqId !== undefined;
    request.log.error(
      bound ? { err } : { err, reqId: request.id, ...traceFields(requestTrace(request.raw)) },
      'request failed',
    );
  }
  if (mapped.headers) reply.headers(mapped.headers);
  return reply
    .code(mapped.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(errorBody(mapped, request.id))); // the body shape shared with the msw mock
}

/** Registers the error handler and the 404/405 handler. Call before any route is added (it watches onRoute). */
export function installErrorHandling(app: FastifyInstance, maxBodySize: number): void {
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, pattern: routePattern(route.url) });
  });
  app.setErrorHandler((err, _request, reply) => sendError(reply, err, maxBodySize));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].filter(
      (m) => m !== 'HEAD',
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        reply,
        new MaasServerError(
          405,
          'method_not_allowed',
          `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
        ),
        maxBodySize,
      );
    }
    return sendError(reply, new MaasServerError(404, 'not_found', `No route ${request.method} ${path}`), maxBodySize);
  });
}

/** find-my-way route syntax → RegExp over the path: `:param` is one segment, `::` a literal colon. */
export function routePattern(url: string): RegExp {
  let out = '';
  for (let i = 0; i < url.length; i++) {
    const ch = url[i]!;
    if (ch === ':' && url[i + 1] === ':') {
      out += ':';
      i++;
    } else if (ch === ':') {
      let j = i + 1;
      while (j < url.length && /[A-Za-z0-9_]/.test(url[j]!)) j++;
      if (url[j] === '(') {
        // A regexp parameter: skip its pattern (one segment either way is close enough to answer 405 vs 404).
        let depth = 0;
        for (; j < url.length; j++) {
          if (url[j] === '(') depth++;
          else if (url[j] === ')' && --depth === 0) break;
        }
        j++;
      }
      out += '[^/]+?';
      i = j - 1;
    } else if (ch === '*') {
      out += '.*';
    } else {
      out += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}/?$`);
}
