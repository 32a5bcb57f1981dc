import { type ParseResult, parseDataset } from '../protocol/datasets/parse.js';
import { type ColumnStats, describeColumns, type Table } from '../protocol/datasets/table.js';
import { datasetNotFound } from './errors.js';
import { IdempotencyStore } from './idempotency.js';
import { isoTime, makeId } from './ids.js';
import { type Deployment, JobEngine, type JobRecord, type OptimizationRecord } from './job-engine.js';
import { ModelStore } from './model-store.js';
import { newOptimizationRecord } from './optimization.js';
import { DEFAULT_MODELS, type MockModelSeed } from './seed-models.js';
import { newJobRecord, trainedVersion } from './training.js';
import type { Dataset, OptimizationJob, TrainingJob, TrainingJobCreateRequest } from './types.js';

export interface MockDatasetSeed {
  format: 'csv' | 'jsonl';
  /** The file's text, parsed exactly as an upload would be (an invalid one throws). */
  content: string;
  name?: string | null;
}

export interface ClockOptions {
  /** Simulated milliseconds per real millisecond. Default 1. */
  speed?: number;
  /** Simulated duration of one job step (start, or one epoch). Default 20. */
  epochMs?: number;
}

export interface StateOptions {
  seed?: { models?: readonly MockModelSeed[]; datasets?: readonly MockDatasetSeed[] };
  /** `false`: jobs only move on `advance()`. */
  clock?: ClockOptions | false;
}

export interface DatasetRecord {
  seq: number;
  dataset: Dataset;
  table: Table;
  stats: ColumnStats[];
}

/**
 * The mock's in-memory world: models, datasets, training and optimisation jobs and idempotency keys. Handlers read and change it;
 * tests drive it (`advance`, `reset`, `addModel`, `addDataset`, `failJob`, `setReady`).
 */
export class MaasMockState {
  readonly models = new ModelStore();
  readonly datasets = new Map<string, DatasetRecord>();
  readonly jobs: JobEngine;
  readonly idempotency = new IdempotencyStore();
  private seq = 0;
  private ready = true;
  private readonly clock: Required<ClockOptions> | null;
  private anchor = Date.now();

  constructor(private readonly options: StateOptions = {}) {
    const clock = options.clock;
    this.clock = clock === false ? null : { speed: clock?.speed ?? 1, epochMs: clock?.epochMs ?? 20 };
    if (this.clock && !(this.clock.speed > 0 && this.clock.epochMs > 0)) {
      throw new TypeError('maas/msw: clock.speed and clock.epochMs must be positive');
    }
    this.jobs = new JobEngine(
      (record, at) => this.deploy(record, at),
      () => this.clock?.epochMs ?? 20,
    );
    this.reset();
  }

  /** Back to the seeded state: seeded models and datasets only, no jobs, no idempotency keys, ready. */
  reset(): void {
    this.models.clear();
    this.datasets.clear();
    this.jobs.clear();
    this.idempotency.clear();
    this.seq = 0;
    this.ready = true;
    this.anchor = Date.now();
    const createdAt = isoTime(Date.now());
    for (const model of this.options.seed?.models ?? DEFAULT_MODELS) this.models.seed(model, createdAt);
    for (const dataset of this.options.seed?.datasets ?? []) this.addDataset(dataset);
  }

  /**
   * Runs `steps` job steps now (default: until every job has ended) and returns how many ran. A step starts the
   * oldest queued job, or runs one epoch of the running one (see JobEngine).
   */
  advance(steps?: number): number {
    this.sync();
    const now = Date.now();
    let done = 0;
    while ((steps === undefined || done < steps) && this.jobs.tick(now)) done++;
    this.anchor = now;
    return done;
  }

  /** Adds (or replaces) a model, as if it were in the repository. */
  addModel(seed: MockModelSeed): void {
    this.models.seed(seed, isoTime(Date.now()));
  }

  /** Adds a dataset as an upload would (same parsing); throws when the content is invalid. */
  addDataset(seed: MockDatasetSeed): Dataset {
    const result = parseDataset(new TextEncoder().encode(seed.content), seed.format);
    if (!result.ok) throw new TypeError(`maas/msw: invalid ${seed.format} dataset: ${result.summary}`);
    return this.storeDataset(seed.format, result, new TextEncoder().encode(seed.content).length, seed.name ?? null)
      .dataset;
  }

  /** Ends a queued or running job `failed` with this error (default: training_failed). */
  failJob(
    id: string,
    error = { code: 'training_failed', message: 'Training failed (simulated by maas/msw)' },
  ): TrainingJob | OptimizationJob {
    this.sync();
    return structuredClone(this.jobs.fail(id, error, Date.now()));
  }

  /** Readiness as `GET /v2/health/ready` reports it; a not-ready server refuses inference like a shutting-down one. */
  setReady(ready: boolean): void {
    this.ready = ready;
  }

  isReady(): boolean {
    return this.ready;
  }

  // ---- used by the handlers --------------------------------------------------------------------------------------

  nextSeq(): number {
    return ++this.seq;
  }

  /** Applies the job steps that time has made due (Date.now() is read here, so fake timers drive it). */
  sync(): void {
    if (!this.clock) return;
    const now = Date.now();
    const interval = this.clock.epochMs / this.clock.speed;
    if (!this.jobs.hasActive()) {
      this.anchor = now;
      return;
    }
    while (this.jobs.hasActive() && this.anchor + interval <= now) {
      this.anchor += interval;
      this.jobs.tick(this.anchor);
    }
    if (!this.jobs.hasActive()) this.anchor = now;
  }

  /** Milliseconds until time makes the next step due; null when time does not drive jobs or none is active. */
  msUntilNextStep(): number | null {
    if (!this.clock || !this.jobs.hasActive()) return null;
    return Math.max(0, this.anchor + this.clock.epochMs / this.clock.speed - Date.now());
  }

  storeDataset(
    format: 'csv' | 'jsonl',
    result: Extract<ParseResult, { ok: true }>,
    bytes: number,
    name: string | null,
  ): DatasetRecord {
    const now = Date.now();
    const seq = this.nextSeq();
    const dataset: Dataset = {
      id: makeId('ds', now, seq),
      object: 'dataset',
      name,
      format,
      rows: result.table.rows,
      columns: describeColumns(result.table),
      bytes,
      created_at: isoTime(now),
    };
    const record = { seq, dataset, table: result.table, stats: result.stats };
    this.datasets.set(dataset.id, record);
    return record;
  }

  requireDataset(id: string): DatasetRecord {
    const record = this.datasets.get(id);
    if (!record) throw datasetNotFound(id);
    return record;
  }

  /** Queues a job from a checked create body (404 dataset_not_found, 422 training_spec_invalid). */
  createJob(body: TrainingJobCreateRequest): JobRecord {
    this.sync();
    const data = this.requireDataset(body.dataset);
    const validation = body.validation_dataset ? this.requireDataset(body.validation_dataset) : null;
    const now = Date.now();
    const record = newJobRecord(body, data, validation, this.nextSeq(), now);
    this.jobs.add(record, now);
    return record;
  }

  /** Queues an optimisation job from its create body (400, 404 and 422 as the server answers them). */
  createOptimizationJob(body: unknown): OptimizationRecord {
    this.sync();
    const record = newOptimizationRecord(this, body);
    this.jobs.add(record, Date.now());
    return record;
  }

  private deploy(record: JobRecord, atMs: number): Deployment {
    const { model } = record.job;
    const version = this.models.nextVersion(model);
    const trained = trainedVersion(record, version, atMs);
    this.models.publish(model, trained.version, {
      promote: record.job.promote !== false,
      by: `training job ${record.job.id}`,
      description: trained.description,
    });
    return { model, version };
  }
}
