import type Database from 'better-sqlite3';
import type { DatasetRecord, Page, PageQuery } from '../records.js';
import type { DatasetRecords } from '../store.js';
import { cursorSeq, pageOf } from './paging.js';

interface DatasetRow {
  body: string;
  path: string;
  stats: string;
}

const fromRow = (row: DatasetRow): DatasetRecord => ({
  dataset: JSON.parse(row.body),
  path: row.path,
  stats: JSON.parse(row.stats),
});

/** Datasets in SQLite. Deleted rows stay as tombstones so a page cursor naming one still knows where it was. */
export class SqliteDatasetRecords implements DatasetRecords {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insert: p('INSERT INTO datasets (id, body, path, stats) VALUES (?, ?, ?, ?)'),
      get: p('SELECT body, path, stats FROM datasets WHERE id = ? AND deleted = 0'),
      seq: p('SELECT seq FROM datasets WHERE id = ?'),
      list: p('SELECT body, path, stats FROM datasets WHERE seq < ? AND deleted = 0 ORDER BY seq DESC LIMIT ?'),
      delete: p('UPDATE datasets SET deleted = 1 WHERE id = ? AND deleted = 0'),
    };
  }

  async insert(record: DatasetRecord): Promise<void> {
    this.s.insert.run(record.dataset.id, JSON.stringify(record.dataset), record.path, JSON.stringify(record.stats));
  }

  async get(id: string): Promise<DatasetRecord | undefined> {
    const row = this.s.get.get(id) as DatasetRow | undefined;
    return row && fromRow(row);
  }

  async list(query: PageQuery): Promise<Page<DatasetRecord>> {
    const rows = this.s.list.all(cursorSeq(this.s.seq, query.after), query.limit + 1) as DatasetRow[];
    return pageOf(rows.map(fromRow), query.limit);
  }

  async delete(id: string): Promise<boolean> {
    return this.s.delete.run(id).changes > 0;
  }

  async isCursor(id: string): Promise<boolean> {
    return this.s.seq.get(id) !== undefined;
  }
}
