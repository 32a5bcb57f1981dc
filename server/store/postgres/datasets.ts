import type { DatasetRecord, Page, PageQuery } from '../records.js';
import type { DatasetRecords } from '../store.js';
import type { Pool } from './sql.js';

interface DatasetRow {
  body: DatasetRecord['dataset'];
  path: string;
  stats: DatasetRecord['stats'];
}

/** Datasets in PostgreSQL. Deleted rows stay as tombstones so a page cursor naming one still knows where it was. */
export class PostgresDatasetRecords implements DatasetRecords {
  constructor(private readonly pool: Pool) {}

  async insert(record: DatasetRecord): Promise<void> {
    await this.pool.query('INSERT INTO maas.datasets (id, body, path, stats) VALUES ($1, $2, $3, $4)', [
      record.dataset.id,
      JSON.stringify(record.dataset),
      record.path,
      JSON.stringify(record.stats),
    ]);
  }

  async get(id: string): Promise<DatasetRecord | undefined> {
    const { rows } = await this.pool.query<DatasetRow>(
      'SELECT body, path, stats FROM maas.datasets WHERE id = $1 AND NOT deleted',
      [id],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async list(query: PageQuery): Promise<Page<DatasetRecord>> {
    // An unknown cursor makes the subquery NULL, and `seq < NULL` selects nothing: an empty page.
    const { rows } = await this.pool.query<DatasetRow>(
      `SELECT body, path, stats FROM maas.datasets
        WHERE NOT deleted AND ($1::text IS NULL OR seq < (SELECT seq FROM maas.datasets WHERE id = $1))
        ORDER BY seq DESC LIMIT $2`,
      [query.after ?? null, query.limit + 1],
    );
    return pageOf(rows.map(fromRow), query.limit);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE maas.datasets SET deleted = true WHERE id = $1 AND NOT deleted', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async isCursor(id: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM maas.datasets WHERE id = $1', [id]);
    return rows.length > 0;
  }
}

const fromRow = (row: DatasetRow): DatasetRecord => ({ dataset: row.body, path: row.path, stats: row.stats });

/** `rows` holds up to limit + 1 items: the extra one only says there is more. */
export function pageOf<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
