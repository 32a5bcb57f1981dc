import { describe, expect, it } from 'vitest';
import { formatTraceparent, newSpanId, parseTraceparent } from '../../server/observability/trace.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('traceparent (W3C Trace Context)', () => {
  it('reads version 00 and a later version with extra fields', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({ traceId: TRACE, parentId: PARENT, flags: '01' });
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-00-what-comes-later`)).toEqual({
      traceId: TRACE,
      parentId: PARENT,
      flags: '00',
    });
  });

  it('ignores what the spec says to ignore', () => {
    for (const bad of [
      undefined,
      '',
      ['a', 'b'],
      `00-${TRACE}-${PARENT}-01-extra`, // version 00 has exactly four fields
      `ff-${TRACE}-${PARENT}-01`, // version ff is invalid
      `00-${'0'.repeat(32)}-${PARENT}-01`, // all-zero trace id
      `00-${TRACE}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${TRACE.toUpperCase()}-${PARENT}-01`, // hex is lowercase
      `00-${TRACE.slice(1)}-${PARENT}-01`,
      `00_${TRACE}_${PARENT}_01`,
    ]) {
      expect(parseTraceparent(bad as string), String(bad)).toBeUndefined();
    }
  });

  it('passes the trace id and flags on with a fresh, non-zero span id of its own', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newSpanId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(ids.has('0'.repeat(16))).toBe(false);
    const out = formatTraceparent({ traceId: TRACE, parentId: PARENT, spanId: 'abcdef0123456789', flags: '01' });
    expect(out).toBe(`00-${TRACE}-abcdef0123456789-01`);
    expect(parseTraceparent(out)).toEqual({ traceId: TRACE, parentId: 'abcdef0123456789', flags: '01' });
  });
});
