/**
 * Each entry moves the PostgreSQL schema one version up, numbered like the SQLite schema (server/store/sqlite/
 * migrations.ts): version N holds the same tables on both engines. Never edit a released one; append a new one.
 * Everything lives in the `maas` schema, so the store can share a database with other software (pg-boss included).
 */
export const postgresMigrations: readonly string[] = [
  `CREATE TABLE maas.datasets (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     body json NOT NULL,
     path text NOT NULL,
     stats json NOT NULL,
     deleted boolean NOT NULL DEFAULT false
   );
   CREATE TABLE maas.jobs (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     status text NOT NULL,
     body json NOT NULL
   );
   CREATE INDEX jobs_by_status ON maas.jobs (status, seq);
   CREATE TABLE maas.events (
     job_id text NOT NULL,
     id integer NOT NULL,
     body json NOT NULL,
     PRIMARY KEY (job_id, id)
   );
   CREATE TABLE maas.checkpoints (
     job_id text PRIMARY KEY,
     epoch integer NOT NULL,
     state bytea NOT NULL
   );
   CREATE TABLE maas.idempotency_keys (
     scope text NOT NULL,
     key text NOT NULL,
     fingerprint text NOT NULL,
     status integer NOT NULL,
     body json NOT NULL,
     created_at bigint NOT NULL,
     PRIMARY KEY (scope, key)
   );
   CREATE INDEX idempotency_by_age ON maas.idempotency_keys (created_at);`,
  // 2: how each model's unversioned traffic is routed (pins, labels, splits, shadow), and the log of its changes.
  `CREATE TABLE maas.model_routing (
     model text PRIMARY KEY,
     body json NOT NULL,
     updated_at text NOT NULL
   );
   CREATE TABLE maas.model_events (
     model text NOT NULL,
     id integer NOT NULL,
     body json NOT NULL,
     PRIMARY KEY (model, id)
   );`,
];

export const POSTGRES_SCHEMA_VERSION = postgresMigrations.length;
