// Ids look like the server's (`ds_…`, `job_…`: a time part then a sequence part, Crockford base32) and sort in
// creation order. The sequence part is what pagination compares, so a cursor keeps working after its item is deleted
// and when a test moves the (fake) clock backwards.
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

/** The sequence number inside an id made by `makeId`; -1 when the text is not such an id. */
export function seqOf(id: string): number {
  const tail = id.slice(-SEQ_DIGITS).toUpperCase();
  if (tail.length !== SEQ_DIGITS) return -1;
  let seq = 0;
  for (const ch of tail) {
    const digit = CROCKFORD.indexOf(ch);
    if (digit < 0) return -1;
    seq = seq * 32 + digit;
  }
  return seq;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
