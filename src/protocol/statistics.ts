// Per model version, what Triton's statistics extension reports: requests that succeeded or failed and how long they
// took, where their time went (queue, compute input / infer / output), and executions by batch size. Kept by the
// server's data plane and by the msw mock alike.

/** Where one request's time went, in nanoseconds, and the execution it was part of. */
export interface RequestTiming {
  queueNs: number;
  computeInputNs: number;
  computeInferNs: number;
  computeOutputNs: number;
  /** Rows of the execution this request was part of (1 when unbatched). */
  batchSize: number;
  /** Set on exactly one request of each execution, so executions are counted once. */
  countsExecution: boolean;
}

export interface Duration {
  count: number;
  ns: number;
}

export interface BatchStats {
  batch_size: number;
  compute_input: Duration;
  compute_infer: Duration;
  compute_output: Duration;
}

/** One version's statistics as `GET /v2/models/{model}/stats` writes them (Triton's field names). */
export interface ModelStats {
  name: string;
  version: string;
  /** Milliseconds since the epoch of the last request; 0 before the first. */
  last_inference: number;
  /** Inferences done: rows of successful requests (a batch of 8 rows is 8). */
  inference_count: number;
  /** Model executions (a batch of several requests is one). */
  execution_count: number;
  inference_stats: {
    success: Duration;
    fail: Duration;
    queue: Duration;
    compute_input: Duration;
    compute_infer: Duration;
    compute_output: Duration;
    cache_hit: Duration;
    cache_miss: Duration;
  };
  batch_stats: BatchStats[];
  memory_usage: never[];
}

const zero = (): Duration => ({ count: 0, ns: 0 });
const add = (d: Duration, ns: number) => {
  d.count++;
  d.ns += ns;
};

export class VersionStatistics {
  private lastInference = 0;
  private inferences = 0;
  private executions = 0;
  private readonly stats = {
    success: zero(),
    fail: zero(),
    queue: zero(),
    compute_input: zero(),
    compute_infer: zero(),
    compute_output: zero(),
  };
  private readonly batches = new Map<number, BatchStats>();
  /** Requests in progress on this version now (not part of Triton's statistics; the metrics' in-flight gauge). */
  inflight = 0;

  constructor(
    readonly name: string,
    readonly version: number,
  ) {}

  /** A request that ran: its end-to-end duration, the rows it had and where its time went. */
  succeeded(durationNs: number, rows: number, timing: RequestTiming, nowMs = Date.now()): void {
    this.lastInference = nowMs;
    this.inferences += rows;
    add(this.stats.success, durationNs);
    add(this.stats.queue, timing.queueNs);
    add(this.stats.compute_input, timing.computeInputNs);
    add(this.stats.compute_infer, timing.computeInferNs);
    add(this.stats.compute_output, timing.computeOutputNs);
    if (timing.countsExecution) {
      this.executions++;
      let batch = this.batches.get(timing.batchSize);
      if (!batch) {
        batch = { batch_size: timing.batchSize, compute_input: zero(), compute_infer: zero(), compute_output: zero() };
        this.batches.set(timing.batchSize, batch);
      }
      add(batch.compute_input, timing.computeInputNs);
      add(batch.compute_infer, timing.computeInferNs);
      add(batch.compute_output, timing.computeOutputNs);
    }
  }

  failed(durationNs: number, nowMs = Date.now()): void {
    this.lastInference = nowMs;
    add(this.stats.fail, durationNs);
  }

  snapshot(): ModelStats {
    const copy = (d: Duration): Duration => ({ ...d });
    return {
      name: this.name,
      version: String(this.version),
      last_inference: this.lastInference,
      inference_count: this.inferences,
      execution_count: this.executions,
      inference_stats: {
        success: copy(this.stats.success),
        fail: copy(this.stats.fail),
        queue: copy(this.stats.queue),
        compute_input: copy(this.stats.compute_input),
        compute_infer: copy(this.stats.compute_infer),
        compute_output: copy(this.stats.compute_output),
        cache_hit: zero(),
        cache_miss: zero(),
      },
      batch_stats: [...this.batches.values()]
        .sort((a, b) => a.batch_size - b.batch_size)
        .map((b) => ({
          batch_size: b.batch_size,
          compute_input: copy(b.compute_input),
          compute_infer: copy(b.compute_infer),
          compute_output: copy(b.compute_output),
        })),
      memory_usage: [],
    };
  }
}

/** Every version's statistics, kept while the server runs (a reload of a version keeps counting, as Triton's do). */
export class Statistics {
  private readonly byModel = new Map<string, Map<number, VersionStatistics>>();

  version(name: string, version: number): VersionStatistics {
    let versions = this.byModel.get(name);
    if (!versions) this.byModel.set(name, (versions = new Map()));
    let stats = versions.get(version);
    if (!stats) versions.set(version, (stats = new VersionStatistics(name, version)));
    return stats;
  }

  /** Versions of `name` with statistics, ascending. */
  versionsOf(name: string): VersionStatistics[] {
    return [...(this.byModel.get(name)?.values() ?? [])].sort((a, b) => a.version - b.version);
  }

  /** Forgets a version (it was deleted). */
  drop(name: string, version: number): void {
    this.byModel.get(name)?.delete(version);
  }
}
