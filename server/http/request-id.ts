import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// A client's own id is echoed when it is a sane token; anything else gets a fresh one (it ends up in logs and headers).
const acceptable = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

// A random prefix per process and a counter: unique, and no crypto call on the hot path.
const prefix = `req_${randomBytes(6).toString('hex')}`;
let counter = 0;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && acceptable.test(given)) return given;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${counter.toString(36).padStart(6, '0')}`;
}
