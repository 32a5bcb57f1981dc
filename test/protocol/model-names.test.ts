import { describe, expect, it } from 'vitest';
import { ContractError } from '../../src/protocol/contract-error.js';
import {
  checkModelName,
  checkModelVersion,
  isValidModelName,
  MODEL_NAME_PATTERN,
  parseModelVersion,
} from '../../src/protocol/model-names.js';
import { checkCreateBody } from '../../src/protocol/training-spec.js';

describe('model names (shared by the server, the msw mock and training specs)', () => {
  it('accepts names that are safe folder names and nothing else', () => {
    for (const good of ['iris', 'resnet-50_v1.2', 'A', '9', 'x'.repeat(128)]) expect(isValidModelName(good)).toBe(true);
    for (const bad of ['', '.', '..', '../x', 'a/b', '-lead', '_lead', 'a b', 'x'.repeat(129), 'é']) {
      expect(isValidModelName(bad), bad).toBe(false);
    }
  });

  it('rejects with a 400 invalid_parameter naming the field, the rule and what came', () => {
    expect(checkModelName('ok')).toBe('ok');
    let caught: unknown;
    try {
      checkModelName('../etc', 'dest');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ContractError);
    expect(caught).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: `dest: expected a model name matching ${MODEL_NAME_PATTERN.source}, got '../etc'`,
    });
  });

  it('is the rule a training spec applies to `model`', () => {
    const body = {
      model: 'a/b',
      dataset: 'ds_1',
      task: 'regression',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'gd', learning_rate: 0.1 },
      epochs: 1,
    };
    expect(() => checkCreateBody(body)).toThrow(`model: expected a name matching ${MODEL_NAME_PATTERN.source}`);
    expect(() => checkCreateBody({ ...body, model: 'x'.repeat(128) })).not.toThrow();
  });
});

describe('model versions', () => {
  it('parses positive integers without leading zeros', () => {
    expect(parseModelVersion('12')).toBe(12);
    for (const bad of ['0', '01', '-1', '1.5', '1e3', ' 1', '99999999999999999', '']) {
      expect(parseModelVersion(bad), bad).toBeUndefined();
    }
  });

  it('rejects with a 400 invalid_parameter', () => {
    expect(checkModelVersion('3')).toBe(3);
    expect(() => checkModelVersion('x')).toThrow("version: expected a positive integer version, got 'x'");
  });
});
