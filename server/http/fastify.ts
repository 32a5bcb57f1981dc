// The only runtime import of fastify, and a dynamic one: it is an optional peer of `maas`.
import type FastifyFactory from 'fastify';
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
