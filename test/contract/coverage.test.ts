// The contract files together cover every operation of openapi.yaml (each file checks, on every target, that it
// really exercised the operations it lists here).
import { expect, it } from 'vitest';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { allOperations } from '../support/openapi-validator.js';

it('every operation of openapi.yaml is covered by one contract file', () => {
  const covered = Object.values(CONTRACT_AREAS).flat();
  expect(new Set(covered).size).toBe(covered.length);
  expect([...covered].sort()).toEqual(
    allOperations()
      .map((o) => o.operationId)
      .sort(),
  );
  expect(covered.length).toBeGreaterThanOrEqual(38);
});
