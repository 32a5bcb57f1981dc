import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '../../src/generated/openapi.js';
import type { DatasetFormat } from '../../src/protocol/datasets/table.js';
import { InvalidParameterError, NotFoundError, UnprocessableError } from '../errors.js';
import { newId } from '../ids.js';
import type { Dataset, DatasetRecord, Page, PageQuery } from '../store/records.js';
import type { DatasetRecords } from '../store/store.js';
import { summarizeDataset, type UploadSummary } from './upload-summary.js';

type DatasetDeleted = components['schemas']['DatasetDeleted'];

export const datasetExtensions: Record<DatasetFormat, string> = { csv: 'csv', jsonl: 'jsonl' };

/** Parses and validates an upload (inline, or in a worker thread for big ones). */
export type Summarizer = (bytes: Uint8Array, format: DatasetFormat) => UploadSummary | Promise<UploadSummary>;

export interface DatasetServiceOptions {
  now?: () => Date;
  /** Default: summarizeDataset on the calling thread. */
  summarize?: Summarizer;
}

/**
 * Uploaded datasets: validated in full before anything is stored, then the bytes as sent go to
 * `<dir>/<id>.<csv|jsonl>` (written atomically) and the description to the store.
 */
export class DatasetService {
  private readonly now: () => Date;
  private readonly summarize: Summarizer;

  constructor(
    private readonly store: DatasetRecords,
    /** Where the files go (e.g. `<data-dir>/datasets`). */
    readonly dir: string,
    options: DatasetServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.summarize = options.summarize ?? summarizeDataset;
    mkdirSync(dir, { recursive: true });
  }

  /** 422 dataset_invalid (details: first 100 `{line, column, message}`) when a row is bad; nothing is stored then. */
  async create(bytes: Uint8Array, format: DatasetFormat, name: string | null): Promise<Dataset> {
    const parsed = await this.summarize(bytes, format);
    if (!parsed.ok) throw new UnprocessableError('dataset_invalid', parsed.summary, parsed.issues);
    const createdAt = this.now();
    const id = newId('ds', createdAt.getTime());
    const dataset: Dataset = {
      id,
      object: 'dataset',
      name,
      format,
      rows: parsed.rows,
      columns: parsed.columns,
      bytes: bytes.byteLength,
      created_at: createdAt.toISOString(),
    };
    const path = join(this.dir, `${id}.${datasetExtensions[format]}`);
    writeAtomically(path, bytes);
    try {
      await this.store.insert({ dataset, path, stats: parsed.stats });
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    }
    return dataset;
  }

  async retrieve(id: string): Promise<Dataset> {
    return (await this.record(id)).dataset;
  }

  /** The stored record (file path, column stats); 404 dataset_not_found. */
  async record(id: string): Promise<DatasetRecord> {
    const record = await this.store.get(id);
    if (!record) throw new NotFoundError('dataset_not_found', `Dataset '${id}' not found`);
    return record;
  }

  /** Newest first; `after` must be a dataset id an earlier page ended with. */
  async list(query: PageQuery): Promise<Page<Dataset>> {
    if (query.after !== undefined && !(await this.store.isCursor(query.after))) {
      throw new InvalidParameterError('after', 'the next_cursor of an earlier page (a dataset id)', query.after);
    }
    const page = await this.store.list(query);
    return { items: page.items.map((r) => r.dataset), hasMore: page.hasMore };
  }

  /** Jobs created before keep their own copy of the rows (see JobService); new jobs cannot use it. */
  async delete(id: string): Promise<DatasetDeleted> {
    const record = await this.record(id);
    await this.store.delete(id);
    rmSync(record.path, { force: true });
    return { id, object: 'dataset.deleted', deleted: true };
  }
}

/** Write to a temporary name, flush, rename: a crash leaves either no file or the whole file. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes, { flush: true });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
