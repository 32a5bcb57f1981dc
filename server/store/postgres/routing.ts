import type { ModelEventRecord, ModelRoutingRecord } from '../records.js';
import type { ModelRoutingRecords } from '../store.js';
import { type Pool, TOPIC_CHANNEL, transaction } from './sql.js';

/** The topic every process hears when a model's routing changed (detail: the model name). */
export const ROUTING_TOPIC = 'routing';

/** Model routing and its change log in PostgreSQL; a change is announced on the `routing` topic when it commits. */
export class PostgresModelRoutingRecords implements ModelRoutingRecords {
  constructor(private readonly pool: Pool) {}

  async get(model: string): Promise<ModelRoutingRecord | undefined> {
    const { rows } = await this.pool.query<{ body: ModelRoutingRecord }>(
      'SELECT body FROM maas.model_routing WHERE model = $1',
      [model],
    );
    return rows[0]?.body;
  }

  async list(): Promise<ModelRoutingRecord[]> {
    const { rows } = await this.pool.query<{ body: ModelRoutingRecord }>(
      'SELECT body FROM maas.model_routing ORDER BY model',
    );
    return rows.map((r) => r.body);
  }

  put(
    record: ModelRoutingRecord,
    events: Array<Omit<ModelEventRecord, 'id' | 'model' | 'createdAt' | 'routing'>>,
  ): Promise<ModelEventRecord[]> {
    return transaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO maas.model_routing (model, body, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (model) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at`,
        [record.model, JSON.stringify(record), record.updatedAt],
      );
      // The routing row is locked by the upsert: event ids of one model are numbered one writer at a time.
      const { rows } = await tx.query<{ id: number | null }>(
        'SELECT MAX(id) AS id FROM maas.model_events WHERE model = $1',
        [record.model],
      );
      let last = rows[0]?.id ?? 0;
      const out: ModelEventRecord[] = [];
      for (const draft of events) {
        const event: ModelEventRecord = {
          id: ++last,
          model: record.model,
          createdAt: record.updatedAt,
          routing: record.routing,
          ...draft,
        };
        await tx.query('INSERT INTO maas.model_events (model, id, body) VALUES ($1, $2, $3)', [
          record.model,
          event.id,
          JSON.stringify(event),
        ]);
        out.push(event);
      }
      await tx.query('SELECT pg_notify($1, $2)', [
        TOPIC_CHANNEL,
        JSON.stringify({ t: ROUTING_TOPIC, d: record.model }),
      ]);
      return out;
    });
  }

  async events(model: string, after: number, limit: number): Promise<ModelEventRecord[]> {
    const { rows } = await this.pool.query<{ body: ModelEventRecord }>(
      'SELECT body FROM maas.model_events WHERE model = $1 AND id > $2 ORDER BY id ASC LIMIT $3',
      [model, after, limit],
    );
    return rows.map((r) => r.body);
  }
}
