// The SQLite store (the default): one file under --data-dir, better-sqlite3 imported here and in the record files only.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { importPeer } from '../../peers.js';
import type { Store } from '../store.js';
import { SqliteDatasetRecords } from './datasets.js';
import { SqliteIdempotencyRecords } from './idempotency.js';
import { SqliteJobRecords } from './jobs.js';
import { SQLITE_SCHEMA_VERSION, sqliteMigrations } from './migrations.js';
import { SqliteModelRoutingRecords } from './routing.js';

export { SQLITE_SCHEMA_VERSION };

type DatabaseConstructor = typeof Database;
let sqlite: Promise<DatabaseConstructor> | undefined;

/** better-sqlite3 is an optional peer of `maas`: loaded on first use, with a MissingPeerError saying how to add it. */
export function loadSqlite(): Promise<DatabaseConstructor> {
  sqlite ??= importPeer('better-sqlite3', async () => (await import('better-sqlite3')).default).catch((err) => {
    sqlite = undefined;
    throw err;
  });
  return sqlite;
}

/** Opens (creating and migrating as needed) the SQLite database at `file`; ':memory:' works for tests. */
export async function openSqliteStore(file: string): Promise<Store> {
  const Sqlite = await loadSqlite();
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Sqlite(file);
  // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL); only an OS crash may lose the last ones.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    kind: 'sqlite',
    datasets: new SqliteDatasetRecords(db),
    jobs: new SqliteJobRecords(db),
    idempotency: new SqliteIdempotencyRecords(db),
    routing: new SqliteModelRoutingRecords(db),
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > sqliteMigrations.length) {
    throw new Error(
      `The database has schema version ${current}, newer than this maas understands (${sqliteMigrations.length}); use a newer maas or another --data-dir`,
    );
  }
  db.transaction(() => {
    for (let v = current; v < sqliteMigrations.length; v++) db.exec(sqliteMigrations[v]!);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(sqliteMigrations.length);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(sqliteMigrations.length);
  })();
}
