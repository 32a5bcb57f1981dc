import { randomInt } from 'node:crypto';
import * as spec from '../../src/protocol/training-spec.js';
import { asServerError } from '../errors.js';
import type { DatasetRecord, TrainingJobCreateRequest } from './types.js';

// The contract's spec rules live in src/protocol/training-spec.ts (the msw mock uses them too); the server adds its
// random default seed and reports their rejections as MaasServerErrors.

/** Checks the create body's shape against TrainingJobCreateRequest: 400 invalid_input listing every bad field. */
export function checkCreateBody(body: unknown): TrainingJobCreateRequest {
  return asServerError(() => spec.checkCreateBody(body));
}

/**
 * Every default filled in (a random seed when none is given) and the spec checked against the data: 422 listing every
 * field that does not fit. The notes become the job's first message events.
 */
export function resolveHyperparameters(
  body: TrainingJobCreateRequest,
  data: DatasetRecord,
  validation: DatasetRecord | null,
  randomSeed: () => number = () => randomInt(0, 2 ** 32),
): spec.SpecResolution {
  return asServerError(() => spec.resolveHyperparameters(body, data, validation, randomSeed));
}
