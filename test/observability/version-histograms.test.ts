import { describe, expect, it } from 'vitest';
import { HistogramFamily } from '../../server/observability/version-histograms.js';
import { parseExposition, sampleValue } from '../support/exposition.js';

const family = new HistogramFamily({
  name: 'h_seconds',
  type: 'histogram',
  help: 'A test histogram with a \\ and a\nnewline.',
  labels: ['model', 'version'],
  buckets: [0.001, 0.01, 1],
});

describe('per-version histograms (the fast writer)', () => {
  it('counts a value equal to a bound in that bucket (le is ≤), cumulates, and writes valid text', () => {
    const a = family.get(['m', '1']);
    for (const v of [0.0005, 0.001, 0.002, 0.5, 7]) a.observe(v);
    family.get(['we"ird\\name\n', '2']).observe(0.01);
    const parsed = parseExposition(family.text());
    expect(parsed.get('h_seconds')).toMatchObject({
      type: 'histogram',
      help: 'A test histogram with a \\ and a\nnewline.',
    });
    const m = { model: 'm', version: '1' };
    expect(['0.001', '0.01', '1', '+Inf'].map((le) => sampleValue(parsed, 'h_seconds_bucket', { ...m, le }))).toEqual([
      2, 3, 4, 5,
    ]);
    expect(sampleValue(parsed, 'h_seconds_count', m)).toBe(5);
    expect(sampleValue(parsed, 'h_seconds_sum', m)).toBeCloseTo(7.5035, 10);
    const odd = { model: 'we"ird\\name\n', version: '2' };
    expect(sampleValue(parsed, 'h_seconds_bucket', { ...odd, le: '0.01' })).toBe(1);
    expect(family.get(['m', '1'])).toBe(a); // one series per label set
  });
});
