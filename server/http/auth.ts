import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';
import { CONSOLE_ROUTES } from './routes/console.js';

/**
 * Routes that stay open with API keys on: liveness, readiness, server metadata and the contract; and the console's
 * static files (a page that asks for the key, then sends it with every API call).
 */
export const openRoutes: ReadonlySet<string> = new Set([
  '/v2',
  '/v2/health/live',
  '/v2/health/ready',
  '/openapi.yaml',
  ...CONSOLE_ROUTES,
]);

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <key>` against the configured keys. Keys are compared as sha256 digests with
 * timingSafeEqual (equal lengths, constant time), and every key is compared so the time does not say which matched.
 */
export function createKeyChecker(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    const presented = digest(match?.[1] ?? '');
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, presented) || ok;
    return ok && match !== null;
  };
}

/** Throws UnauthorizedError unless the route is open or the key is good; a no-op when no keys are configured. */
export function createAuthCheck(
  keys: readonly string[],
): (routeUrl: string | undefined, authorization: string | undefined) => void {
  if (keys.length === 0) return () => {};
  const check = createKeyChecker(keys);
  return (routeUrl, authorization) => {
    if (routeUrl !== undefined && openRoutes.has(routeUrl)) return;
    if (authorization === undefined) throw new UnauthorizedError();
    if (!check(authorization))
      throw new UnauthorizedError('Invalid API key: send Authorization: Bearer <key> with a key this server accepts');
  };
}
