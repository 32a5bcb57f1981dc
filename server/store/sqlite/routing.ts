import type Database from 'better-sqlite3';
import type { ModelEventRecord, ModelRoutingRecord } from '../records.js';
import type { ModelRoutingRecords } from '../store.js';

type Body = { body: string };

/** Model routing and its change log in SQLite. */
export class SqliteModelRoutingRecords implements ModelRoutingRecords {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p('SELECT body FROM model_routing WHERE model = ?'),
      list: p('SELECT body FROM model_routing ORDER BY model'),
      put: p('INSERT OR REPLACE INTO model_routing (model, body, updated_at) VALUES (?, ?, ?)'),
      lastEvent: p('SELECT MAX(id) AS id FROM model_events WHERE model = ?'),
      insertEvent: p('INSERT INTO model_events (model, id, body) VALUES (?, ?, ?)'),
      events: p('SELECT body FROM model_events WHERE model = ? AND id > ? ORDER BY id ASC LIMIT ?'),
    };
  }

  async get(model: string): Promise<ModelRoutingRecord | undefined> {
    const row = this.s.get.get(model) as Body | undefined;
    return row && (JSON.parse(row.body) as ModelRoutingRecord);
  }

  async list(): Promise<ModelRoutingRecord[]> {
    return (this.s.list.all() as Body[]).map((r) => JSON.parse(r.body) as ModelRoutingRecord);
  }

  async put(
    record: ModelRoutingRecord,
    events: Array<Omit<ModelEventRecord, 'id' | 'model' | 'createdAt' | 'routing'>>,
  ): Promise<ModelEventRecord[]> {
    return this.db.transaction(() => {
      this.s.put.run(record.model, JSON.stringify(record), record.updatedAt);
      let last = (this.s.lastEvent.get(record.model) as { id: number | null }).id ?? 0;
      return events.map((draft) => {
        const event: ModelEventRecord = {
          id: ++last,
          model: record.model,
          createdAt: record.updatedAt,
          routing: record.routing,
          ...draft,
        };
        this.s.insertEvent.run(record.model, event.id, JSON.stringify(event));
        return event;
      });
    })();
  }

  async events(model: string, after: number, limit: number): Promise<ModelEventRecord[]> {
    return (this.s.events.all(model, after, limit) as Body[]).map((r) => JSON.parse(r.body) as ModelEventRecord);
  }
}
