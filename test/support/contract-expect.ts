// Small assertions shared by the contract files.
import { expect } from 'vitest';
import { APIError, type ErrorDetail } from '../../src/index.js';

export interface CaughtError {
  status: number;
  code: string | undefined;
  /** The body's human message (`error`). */
  message: string;
  details: ErrorDetail[] | undefined;
}

/** Awaits a call that must fail with an APIError and returns what the body said. */
export async function apiError(call: PromiseLike<unknown>): Promise<CaughtError> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call should have failed with an APIError').toBeInstanceOf(APIError);
  const error = caught as APIError;
  const body = error.body as { error?: unknown };
  return {
    status: error.status,
    code: error.code,
    message: typeof body?.error === 'string' ? body.error : '',
    details: error.details,
  };
}
