import { describe, expect, it } from 'vitest';
import { ContractError } from '../../src/protocol/contract-error.js';
import { errorBody } from '../../src/protocol/error-body.js';

describe('errorBody (the one Error body of the server and the msw mock)', () => {
  it('carries message, code, status and request id', () => {
    expect(errorBody(new ContractError(404, 'model_not_found', "Model 'x' not found"), 'req_1')).toEqual({
      error: "Model 'x' not found",
      code: 'model_not_found',
      status: 404,
      request_id: 'req_1',
    });
  });

  it('keeps details only when there are some', () => {
    const details = [{ line: 3, column: 'x', message: 'expected a number' }];
    expect(errorBody(new ContractError(422, 'dataset_invalid', 'bad rows', details), 'r').details).toEqual(details);
    expect(errorBody(new ContractError(422, 'dataset_invalid', 'bad rows', []), 'r')).not.toHaveProperty('details');
    expect(errorBody({ status: 500, code: 'internal', message: 'Internal server error' }, 'r')).not.toHaveProperty(
      'details',
    );
  });
});
