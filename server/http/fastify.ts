// The only runtime import of fastify, and a dynamic one: it is an optional peer of `maas`.

import type FastifyFactory from 'fastify';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { importPeer } from '../peers.js';

export type CreateFastify = typeof FastifyFactory;

let fastifyPromise: Promise<CreateFastify> | undefined;

/** Imports fastify once; a MissingPeerError says how to install it. */
export function loadFastify(): Promise<CreateFastify> {
  fastifyPromise ??= importPeer('fastify', async () => (await import('fastify')).default).catch((err: unknown) => {
    fastifyPromise = undefined;
    throw err;
  });
  return fastifyPromise;
}

/**
 * Options that turn Fastify's own per-request logging off (its two lines per request; the access log writes one),
 * with `childLoggerFactory` for each request's logger. The default returns the server's logger itself: no
 * per-request child (pino serialises its bindings for every request), what every level above `info` wants.
 * Fastify 5.8+ takes this through a LogController; older 5.x through the top-level flag, which newer releases
 * warn about (FSTDEP023).
 */
export function quietRequestLogging(
  Fastify: CreateFastify,
  childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger: FastifyBaseLogger) => logger,
): Partial<FastifyServerOptions> {
  const LogController = (Fastify as unknown as { LogController?: new (o: object) => unknown }).LogController;
  if (LogController) {
    return {
      logController: new LogController({ disableRequestLogging: true }),
      childLoggerFactory,
    } as Partial<FastifyServerOptions>;
  }
  return { disableRequestLogging: true, childLoggerFactory };
}
