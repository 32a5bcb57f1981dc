// The PostgreSQL store (`--database postgres://…`): several `maas serve` replicas and `maas worker` processes on one
// database. `pg` is imported here only (the record files take the pool). Tables live in the `maas` schema.
import type pg from 'pg';
import { importPeer } from '../../peers.js';
import type { Store } from '../store.js';
import { PostgresDatasetRecords } from './datasets.js';
import { PostgresIdempotencyRecords } from './idempotency.js';
import { PostgresJobRecords } from './jobs.js';
import { POSTGRES_SCHEMA_VERSION, postgresMigrations } from './migrations.js';
import { PostgresModelRoutingRecords } from './routing.js';
import { PostgresShared } from './shared.js';
import { type Pool, redactUrl, transaction } from './sql.js';

export type { JobWriteHook } from './jobs.js';
export { ROUTING_TOPIC } from './routing.js';
export { POSTGRES_SCHEMA_VERSION, redactUrl };

type PgModule = typeof pg;
let loaded: Promise<PgModule> | undefined;

/** pg is an optional peer of `maas`: loaded on first use, with a MissingPeerError saying how to add it. */
export function loadPg(): Promise<PgModule> {
  loaded ??= importPeer('pg', async () => ((await import('pg')) as { default: PgModule }).default).catch((err) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

/** The PostgreSQL store, with what only it has: the pool (for pg-boss) and hooks into job writes. */
export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly jobs: PostgresJobRecords;
  readonly shared: PostgresShared;
  readonly pool: Pool;
  /** The connection string, for a queue engine on the same database. */
  readonly url: string;
}

export interface PostgresStoreOptions {
  /** Pooled connections (default 10). */
  poolSize?: number;
  /** Background errors (an idle connection dropped, a notice listener threw). */
  onError?: (err: unknown) => void;
}

/** Connects, creates or migrates the schema (one process at a time), and starts listening for notices. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const { Pool, Client } = await loadPg();
  const onError = options.onError ?? (() => {});
  const config: pg.ClientConfig = { connectionString: url, application_name: 'maas' };
  const pool = new Pool({ ...config, max: options.poolSize ?? 10 });
  pool.on('error', onError); // an idle pooled connection that drops must not crash the process
  const shared = new PostgresShared({ newClient: (c) => new Client(c), config, pool, onError });
  try {
    await migrate(pool);
    await shared.start();
  } catch (err) {
    await shared.close();
    await pool.end().catch(() => {});
    throw new Error(`cannot use the database ${redactUrl(url)}: ${(err as Error).message}`);
  }
  return {
    kind: 'postgres',
    url,
    pool,
    shared,
    datasets: new PostgresDatasetRecords(pool),
    jobs: new PostgresJobRecords(pool),
    idempotency: new PostgresIdempotencyRecords(pool, shared),
    routing: new PostgresModelRoutingRecords(pool),
    async close() {
      await shared.close();
      await pool.end().catch(() => {});
    },
  };
}

/** Any fixed number: every process migrating this database takes the same transaction lock first. */
const MIGRATION_LOCK = 0x6d616173;

async function migrate(pool: Pool): Promise<void> {
  await transaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE SCHEMA IF NOT EXISTS maas');
    await tx.query('CREATE TABLE IF NOT EXISTS maas.schema_version (version integer NOT NULL)');
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM maas.schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(
        `its schema version ${current} is newer than this maas understands (${POSTGRES_SCHEMA_VERSION}); use a newer maas or another database`,
      );
    }
    for (let v = current; v < POSTGRES_SCHEMA_VERSION; v++) await tx.query(postgresMigrations[v]!);
    if (rows[0]) await tx.query('UPDATE maas.schema_version SET version = $1', [POSTGRES_SCHEMA_VERSION]);
    else await tx.query('INSERT INTO maas.schema_version (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION]);
  });
}
