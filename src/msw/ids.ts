// Ids look like the server's (`ds_…`, `job_…`: 10 Crockford base32 characters of time, then more), but the tail is
// a sequence number instead of random characters, so a run of the mock is reproducible.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SEQ_DIGITS = 6;

function base32(value: number, digits: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(value));
  for (let i = 0; i < digits; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function makeId(prefix: 'ds' | 'job', timeMs: number, seq: number): string {
  return `${prefix}_${base32(timeMs, 10)}${base32(seq, SEQ_DIGITS)}`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
