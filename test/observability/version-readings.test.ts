import { describe, expect, it } from 'vitest';
import { VersionReadingFamilies } from '../../server/observability/version-readings.js';
import { parseExposition, sampleValue } from '../support/exposition.js';

interface Reading {
  model: string;
  version: string;
  success: number;
  queued: number | undefined;
}

const families = new VersionReadingFamilies<Reading>([
  {
    family: { name: 'x_success_total', type: 'counter', help: 'Successes, with a \\ and a\nnewline.', labels: [] },
    value: (r) => r.success,
  },
  { family: { name: 'x_queue_depth', type: 'gauge', help: 'Queued.', labels: [] }, value: (r) => r.queued },
]);

describe('per-version readings (the fast writer)', () => {
  it('writes one line per version and family, escapes label values, and leaves out undefined values', () => {
    const readings: Reading[] = [
      { model: 'm', version: '1', success: 3, queued: 2 },
      { model: 'we"ird\\name\n', version: '7', success: 0, queued: undefined },
    ];
    const text = families.text(readings);
    const parsed = parseExposition(text);
    expect(parsed.get('x_success_total')).toMatchObject({
      type: 'counter',
      help: 'Successes, with a \\ and a\nnewline.',
    });
    expect(parsed.get('x_queue_depth')).toMatchObject({ type: 'gauge', help: 'Queued.' });
    expect(sampleValue(parsed, 'x_success_total', { model: 'm', version: '1' })).toBe(3);
    expect(sampleValue(parsed, 'x_success_total', { model: 'we"ird\\name\n', version: '7' })).toBe(0);
    expect(sampleValue(parsed, 'x_queue_depth', { model: 'm', version: '1' })).toBe(2);
    expect(text.match(/^x_queue_depth\{/gm)).toHaveLength(1);
    // A scrape reads fresh values: nothing carries over from the last one.
    const again = parseExposition(families.text([{ model: 'm', version: '1', success: 5, queued: 0 }]));
    expect(sampleValue(again, 'x_success_total', { model: 'm', version: '1' })).toBe(5);
    expect(sampleValue(again, 'x_success_total', { model: 'we"ird\\name\n', version: '7' })).toBeUndefined();
  });
});
