import { join } from 'node:path';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

/** The store the settings name: PostgreSQL at `database`, else SQLite at `<dataDir>/maas.db`. */
export function openStore(
  settings: { database: string | null; dataDir: string },
  onError: (err: unknown) => void,
): Promise<Store> {
  if (settings.database) return openPostgresStore(settings.database, { onError });
  return openSqliteStore(join(settings.dataDir, 'maas.db'));
}
