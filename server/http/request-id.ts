import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// A client's own id is echoed when it is a sane token; anything else gets a fresh one (it ends up in logs and headers).
const acceptable = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && acceptable.test(given)) return given;
  return `req_${randomBytes(12).toString('hex')}`;
}
