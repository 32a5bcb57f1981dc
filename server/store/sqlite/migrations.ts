/** Each entry moves the SQLite schema one version up; never edit a released one, append a new one. */
export const sqliteMigrations: readonly string[] = [
  `CREATE TABLE datasets (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     path TEXT NOT NULL,
     stats TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX jobs_by_status ON jobs (status, seq);
   CREATE TABLE events (
     job_id TEXT NOT NULL,
     id INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (job_id, id)
   ) WITHOUT ROWID;
   CREATE TABLE checkpoints (
     job_id TEXT PRIMARY KEY,
     epoch INTEGER NOT NULL,
     state BLOB NOT NULL
   );
   CREATE TABLE idempotency_keys (
     scope TEXT NOT NULL,
     key TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     status INTEGER NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (scope, key)
   ) WITHOUT ROWID;
   CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);`,
  // 2: how each model's unversioned traffic is routed (pins, labels, splits, shadow), and the log of its changes.
  `CREATE TABLE model_routing (
     model TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE model_events (
     model TEXT NOT NULL,
     id INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (model, id)
   ) WITHOUT ROWID;`,
  // 3: jobs have a kind (training, optimization): one table and one queue, listed per kind.
  `ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'training';
   CREATE INDEX jobs_by_kind ON jobs (kind, seq);`,
];

export const SQLITE_SCHEMA_VERSION = sqliteMigrations.length;
