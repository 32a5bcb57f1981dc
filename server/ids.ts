import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A prefixed ULID (`job_01JDQ40A7K2P…`): 10 characters of millisecond time, then 16 random ones, so ids sort by
 * creation time and never collide in practice. Matches openapi.yaml's `^job_[A-Za-z0-9]{1,64}$`.
 */
export function newId(prefix: 'job' | 'ds', now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const b of bytes) random += CROCKFORD[b % 32];
  return `${prefix}_${time}${random}`;
}
