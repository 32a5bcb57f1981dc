import { ContractError, describeReceived as describe } from '../protocol/contract-error.js';
import { errorBody } from '../protocol/error-body.js';
import type { ErrorCode, ErrorDetail } from './types.js';

/**
 * A failure the mock reports on purpose. `errorResponse` is the one place it (or the shared contract code's
 * ContractError) becomes the `Error` body, built by src/protocol/error-body.ts as on the server. Messages follow
 * server/errors.ts word for word where the server has a class for the condition, so tests written against the mock
 * read the same text from the real server.
 */
export class MockError extends ContractError {
  override name = 'MockError';
}

export function errorResponse(error: ContractError, requestId: string): Response {
  return new Response(JSON.stringify(errorBody(error, requestId)), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...error.headers },
  });
}

export const badRequest = (code: ErrorCode, message: string, details?: ErrorDetail[]) =>
  new MockError(400, code, message, details);

export const invalidParameter = (field: string, expected: string, received: unknown) =>
  badRequest('invalid_parameter', `${field}: expected ${expected}, got ${describe(received)}`);

export const invalidInput = (field: string, expected: string, received: unknown) =>
  badRequest('invalid_input', `${field}: expected ${expected}, got ${describe(received)}`);

export const unauthorized = (message = 'Missing or invalid API key: send Authorization: Bearer <key>') =>
  new MockError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });

export const notFound = (code: ErrorCode, message: string) => new MockError(404, code, message);
export const modelNotFound = (model: string) => notFound('model_not_found', `Model '${model}' not found`);
export const versionNotFound = (model: string, version: string) =>
  notFound('version_not_found', `Model '${model}' has no version ${version}`);
export const datasetNotFound = (id: string) => notFound('dataset_not_found', `Dataset '${id}' not found`);
export const jobNotFound = (id: string) => notFound('job_not_found', `Training job '${id}' not found`);

export const conflict = (code: ErrorCode, message: string) => new MockError(409, code, message);

export const payloadTooLarge = (what: string, size: number, limit: number, setting: string) =>
  new MockError(413, 'payload_too_large', `${what} is ${size} bytes; the limit is ${limit} bytes (${setting})`);

export const unsupportedMediaType = (received: string | null, expected: string[]) =>
  new MockError(
    415,
    'unsupported_media_type',
    `Content-Type '${received || '(none)'}' is not supported here; expected ${expected.join(' or ')}`,
  );

export const unprocessable = (code: ErrorCode, message: string, details?: ErrorDetail[]) =>
  new MockError(422, code, message, details);

export const modelNotReady = (model: string, version: string | undefined, state: string, reason = '') =>
  new MockError(
    503,
    'model_not_ready',
    `${version === undefined ? `Model '${model}'` : `Model '${model}' version ${version}`} is not ready (state ${state})${
      reason ? `: ${reason}` : ''
    }`,
  );
