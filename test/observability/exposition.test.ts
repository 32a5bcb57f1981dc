// The test reader of the exposition format must be able to fail: these are the mistakes it exists to catch.
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../support/exposition.js';

const GOOD = `# HELP h_seconds A histogram.
# TYPE h_seconds histogram
h_seconds_bucket{m="a",le="0.1"} 1
h_seconds_bucket{m="a",le="+Inf"} 3
h_seconds_sum{m="a"} 0.7
h_seconds_count{m="a"} 3

# HELP c_total A counter with \\\\ and \\n in its help.
# TYPE c_total counter
c_total{path="/x",q="say \\"hi\\"\\n"} 2
c_total 5 1700000000000
`;

describe('exposition reader (test support)', () => {
  it('reads families, help, labels with escapes, and values', () => {
    const families = parseExposition(GOOD);
    expect(families.get('c_total')).toMatchObject({ type: 'counter', help: 'A counter with \\ and \n in its help.' });
    expect(sampleValue(families, 'c_total', { path: '/x', q: 'say "hi"\n' })).toBe(2);
    expect(sampleValue(families, 'c_total')).toBe(5);
    expect(sampleValue(families, 'h_seconds_bucket', { m: 'a', le: '+Inf' })).toBe(3);
    expect(sampleValue(families, 'h_seconds_count', { m: 'a' })).toBe(3);
    expect(sampleValue(families, 'h_seconds_count', { m: 'b' })).toBeUndefined();
  });

  it.each([
    ['no final newline', GOOD.trimEnd(), /end with a newline/],
    ['a bad metric name', '1abc 2\n', /not a sample|bad metric name/],
    ['an unquoted label value', 'x{a=b} 1\n', /not quoted/],
    ['a bad escape', 'x{a="\\t"} 1\n', /bad escape/],
    ['a value that is not a number', 'x 1,5\n', /not a value/],
    ['a duplicate series', 'x{a="1"} 1\nx{a="1"} 2\n', /duplicate series/],
    ['a second TYPE', '# TYPE x gauge\n# TYPE x gauge\nx 1\n', /second TYPE/],
    ['TYPE after samples', 'x 1\n# TYPE x gauge\n', /TYPE of x after/],
    ['a family split in two', '# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a="1"} 2\n', /not together/],
    ['a counter without _total', '# TYPE x counter\nx 1\n', /should end in _total/],
    [
      'buckets that are not cumulative',
      '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
      /not cumulative/,
    ],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /no \+Inf bucket/],
    ['+Inf bucket and _count apart', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n', /_count/],
  ])('rejects %s', (_what, text, error) => {
    expect(() => parseExposition(text)).toThrow(error);
  });
});
