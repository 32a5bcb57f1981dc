import { describe, expect, it } from 'vitest';
import { createAuthCheck, createKeyChecker } from '../../server/http/auth.js';
import { routePattern } from '../../server/http/error-handler.js';

describe('API key check', () => {
  it('accepts any configured key as a Bearer token and nothing else', () => {
    const check = createKeyChecker(['alpha', 'beta']);
    expect(check('Bearer alpha')).toBe(true);
    expect(check('bearer beta')).toBe(true);
    expect(check('Bearer gamma')).toBe(false);
    expect(check('Bearer alph')).toBe(false);
    expect(check('Basic alpha')).toBe(false);
    expect(check('alpha')).toBe(false);
    expect(check('Bearer ')).toBe(false);
    expect(check(undefined)).toBe(false);
  });

  it('leaves health, server metadata and the spec open, and says what is wrong otherwise', () => {
    const check = createAuthCheck(['k']);
    for (const open of ['/v2', '/v2/health/live', '/v2/health/ready', '/openapi.yaml']) {
      expect(() => check(open, undefined)).not.toThrow();
    }
    expect(() => check('/v1/models', undefined)).toThrow(
      'Missing or invalid API key: send Authorization: Bearer <key>',
    );
    expect(() => check('/v1/models', 'Bearer nope')).toThrow('Invalid API key');
    expect(() => check(undefined, undefined)).toThrow('Missing or invalid API key');
    expect(() => check('/v1/models', 'Bearer k')).not.toThrow();
    expect(() => createAuthCheck([])('/v1/models', undefined)).not.toThrow();
  });
});

describe('routePattern', () => {
  it('turns find-my-way paths into matchers for 405 detection', () => {
    expect(routePattern('/v2/models/:model/infer').test('/v2/models/m.1/infer')).toBe(true);
    expect(routePattern('/v2/models/:model/infer').test('/v2/models/a/b/infer')).toBe(false);
    const predict = routePattern('/v1/models/:model(^[^:/]+)::predict');
    expect(predict.test('/v1/models/iris:predict')).toBe(true);
    expect(predict.test('/v1/models/iris')).toBe(false);
  });
});
