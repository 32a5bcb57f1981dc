import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '../../src/generated/openapi.js';
import type { DatasetFormat } from '../../src/protocol/datasets/table.js';
import { InvalidParameterError, NotFoundError, UnprocessableError } from '../errors.js';
import { newId } from '../jobs/ids.js';
import type { JobStore } from '../jobs/store.js';
import type { Dataset, DatasetRecord, PageQuery } from '../jobs/types.js';
import { summarizeDataset, type UploadSummary } from './upload-summary.js';

type DatasetList = components['schemas']['DatasetList'];
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
    private readonly store: JobStore,
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
      this.store.insertDataset({ dataset, path, stats: parsed.stats });
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    }
    return dataset;
  }

  retrieve(id: string): Dataset {
    return this.record(id).dataset;
  }

  /** The stored record (file path, column stats); 404 dataset_not_found. */
  record(id: string): DatasetRecord {
    const record = this.store.getDataset(id);
    if (!record) throw new NotFoundError('dataset_not_found', `Dataset '${id}' not found`);
    return record;
  }

  list(query: PageQuery): DatasetList {
    if (query.after !== undefined && !this.store.hasCursor('datasets', query.after)) {
      throw new InvalidParameterError('after', 'the next_cursor of an earlier page (a dataset id)', query.after);
    }
    const page = this.store.listDatasets(query);
    const data = page.items.map((r) => r.dataset);
    return {
      object: 'list',
      data,
      has_more: page.hasMore,
      next_cursor: page.hasMore ? (data[data.length - 1]?.id ?? null) : null,
    };
  }

  /** Jobs created before keep their own copy of the rows (see JobService); new jobs cannot use it. */
  delete(id: string): DatasetDeleted {
    const record = this.record(id);
    this.store.deleteDataset(id);
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
