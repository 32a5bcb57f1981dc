// The only import of prom-client, and a dynamic one: it is an optional peer of `maas`, like fastify.
// The families and their labels come from src/protocol/metric-families.ts. The per-version inference histograms are
// written by version-histograms.ts (measured: prom-client's were most of a scrape's time), the per-version counts
// read at scrape time by version-readings.ts; every other family is a prom-client metric, and the process metrics are prom-client's defaults. Per request this costs a few Map lookups
// and additions (HTTP requests are counted here and handed to prom-client at scrape time); what the serving core
// counts itself (Triton's statistics, in-flight and queue gauges) is read at scrape time only.

import type * as PromClient from 'prom-client';
import { METRIC_FAMILIES, type MetricFamily, type MetricName } from '../../src/protocol/metric-families.js';
import type { InferenceRecord } from '../inference/data-plane.js';
import { importPeer } from '../peers.js';
import { HistogramFamily, type HistogramSeries } from './version-histograms.js';
import { VersionReadingFamilies } from './version-readings.js';

type Prom = typeof PromClient;

let promPromise: Promise<Prom> | undefined;

/** Imports prom-client once; a MissingPeerError says how to install it. */
export function loadPromClient(): Promise<Prom> {
  promPromise ??= importPeer('prom-client', async () => {
    const mod = (await import('prom-client')) as Prom & { default?: Prom };
    return mod.default ?? mod;
  }).catch((err: unknown) => {
    promPromise = undefined;
    throw err;
  });
  return promPromise;
}

/** One model version as the scrape reads it from the serving core. */
export interface VersionReading {
  model: string;
  version: string;
  /** Triton's statistics: successful requests, rows inferred, model executions. */
  success: number;
  inferences: number;
  executions: number;
  inflight: number;
  /** Requests waiting in its dynamic batcher; undefined when it has none. */
  queued: number | undefined;
  /** 1 when its runs go to the server thread (`--session-threads auto` or `main`), 0 to workers; undefined unloaded. */
  onServerThread: number | undefined;
}

export interface ServerMetricsOptions {
  /** Every version with statistics or loaded, read at each scrape. */
  versions(): Iterable<VersionReading>;
  /** The error code a failed inference's response carries (the error handler's mapping). */
  failureReason(err: unknown): string;
  /** Whether the version runs behind a dynamic batcher: only then are its batch sizes worth a histogram. */
  batching(model: string, version: number): boolean;
  /** Training jobs waiting to start, read at each scrape. */
  queuedJobs?: () => Promise<number>;
}

export type Protocol = 'http' | 'grpc';
export type JobKind = 'training' | 'optimization';

type Labels = Record<string, string>;

/** The histograms observed on every inference, per version. */
const VERSION_HISTOGRAMS = [
  'maas_inference_request_duration_seconds',
  'maas_inference_queue_duration_seconds',
  'maas_inference_compute_infer_duration_seconds',
  'maas_inference_batch_size',
] as const satisfies readonly MetricName[];

/** One version's series, found once per request with two Map lookups. */
interface VersionSeries {
  labels: Labels;
  duration: HistogramSeries;
  queue: HistogramSeries;
  compute: HistogramSeries;
  /** Made on the first batch of a version with a dynamic batcher. */
  batch: HistogramSeries | undefined;
}

/** Node's process metrics (CPU, memory, event loop lag, GC) are collected once per process, whatever the servers. */
let processRegistry: PromClient.Registry | undefined;

function processMetrics(prom: Prom): PromClient.Registry {
  if (!processRegistry) {
    processRegistry = new prom.Registry();
    prom.collectDefaultMetrics({ register: processRegistry });
    // Gauges named like counters (promtool's lint rejects them); `nodejs_active_*{type}` carry the same counts.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/** What the serving core counts itself, read at each scrape and written by version-readings.ts. */
const READ_AT_SCRAPE: Readonly<Record<string, (v: VersionReading) => number | undefined>> = {
  maas_inference_request_success_total: (v) => v.success,
  maas_inference_count_total: (v) => v.inferences,
  maas_inference_exec_count_total: (v) => v.executions,
  maas_inference_inflight: (v) => v.inflight,
  maas_inference_queue_depth: (v) => v.queued,
  maas_inference_server_thread: (v) => v.onServerThread,
};

const isVersionHistogram = (name: string): name is (typeof VERSION_HISTOGRAMS)[number] =>
  (VERSION_HISTOGRAMS as readonly string[]).includes(name);

/** The server's metrics: observed by the data plane, the HTTP layer and the job service; written by `scrape()`. */
export class ServerMetrics {
  readonly contentType: string;
  private readonly registry: PromClient.Registry;
  private readonly process: PromClient.Registry;
  private readonly counters = new Map<MetricName, PromClient.Counter>();
  private readonly gauges = new Map<MetricName, PromClient.Gauge>();
  private readonly histograms = new Map<MetricName, PromClient.Histogram>();
  private readonly versionHistograms = new Map<MetricName, HistogramFamily>();
  private readonly readings: VersionReadingFamilies<VersionReading>;
  private readonly versions = new Map<string, Map<number, VersionSeries>>();
  /** Answered requests by route, method and status: counted here, handed to prom-client at scrape time. */
  private readonly requests = new Map<string, Map<string, Map<number, { labels: Labels; count: number }>>>();

  private constructor(
    prom: Prom,
    private readonly options: ServerMetricsOptions,
  ) {
    this.registry = new prom.Registry();
    this.process = processMetrics(prom);
    this.contentType = this.registry.contentType;
    const families = METRIC_FAMILIES as readonly MetricFamily[];
    this.readings = new VersionReadingFamilies(
      families
        .filter((f) => f.name in READ_AT_SCRAPE)
        .map((family) => ({ family, value: READ_AT_SCRAPE[family.name]! })),
    );
    for (const family of families) {
      if (family.name in READ_AT_SCRAPE) continue;
      const config = {
        name: family.name,
        help: family.help,
        labelNames: [...family.labels],
        registers: [this.registry],
      };
      const name = family.name as MetricName;
      if (isVersionHistogram(name)) this.versionHistograms.set(name, new HistogramFamily(family));
      else if (family.type === 'counter') this.counters.set(name, new prom.Counter(config));
      else if (family.type === 'gauge') this.gauges.set(name, new prom.Gauge(config));
      else this.histograms.set(name, new prom.Histogram({ ...config, buckets: [...(family.buckets ?? [])] }));
    }
  }

  static async create(options: ServerMetricsOptions): Promise<ServerMetrics> {
    return new ServerMetrics(await loadPromClient(), options);
  }

  /** The data plane's report of one inference that reached a model version. */
  observeInference(record: InferenceRecord): void {
    const series = this.seriesOf(record.model, record.version);
    if (record.error !== undefined) {
      const reason = this.options.failureReason(record.error);
      this.counter('maas_inference_request_failure_total').inc({ ...series.labels, reason });
      return;
    }
    series.duration.observe(record.durationNs / 1e9);
    const timing = record.timing;
    if (!timing) return;
    series.queue.observe(timing.queueNs / 1e9);
    series.compute.observe(timing.computeInferNs / 1e9);
    if (timing.countsExecution && this.options.batching(record.model, record.version)) {
      series.batch ??= this.versionHistograms
        .get('maas_inference_batch_size')!
        .get([record.model, series.labels.version!]);
      series.batch.observe(timing.batchSize);
    }
  }

  /** One answered request. `route` is the route's pattern (never the raw path: it would explode the series). */
  countRequest(protocol: Protocol, method: string, route: string, status: number): void {
    const key = protocol === 'http' ? route : `${protocol} ${route}`;
    let byMethod = this.requests.get(key);
    if (!byMethod) this.requests.set(key, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    const series = byStatus.get(status);
    if (series) series.count++;
    else byStatus.set(status, { labels: { protocol, method, route, status: String(status) }, count: 1 });
  }

  /** A job entered `status`. */
  jobStatus(kind: JobKind, status: string): void {
    this.counter('maas_jobs_total').inc({ kind, status });
  }

  /** A job ended with `status` after running `seconds` (started_at to finished_at). */
  jobFinished(kind: JobKind, status: string, seconds: number): void {
    this.histograms.get('maas_job_duration_seconds')!.observe({ kind, status }, seconds);
  }

  /** The exposition text: the server's families, then the process metrics. */
  async scrape(): Promise<string> {
    const readings = this.readings.text(this.options.versions());
    const requests = this.counter('maas_http_requests_total');
    requests.reset();
    for (const byMethod of this.requests.values())
      for (const byStatus of byMethod.values()) for (const s of byStatus.values()) requests.inc(s.labels, s.count);
    const waiting = await this.options.queuedJobs?.().catch(() => undefined); // a closing store: leave it out
    const queuedJobs = this.gauge('maas_jobs_queued');
    queuedJobs.reset();
    if (waiting !== undefined) queuedJobs.set({ kind: 'training' }, waiting);
    const [own, process] = await Promise.all([this.registry.metrics(), this.process.metrics()]);
    // Every part ends in a newline; a blank line between families, as prom-client writes them.
    return [own, readings, ...[...this.versionHistograms.values()].map((h) => h.text()), process].join('\n');
  }

  private seriesOf(model: string, version: number): VersionSeries {
    let versions = this.versions.get(model);
    if (!versions) this.versions.set(model, (versions = new Map()));
    let series = versions.get(version);
    if (!series) {
      const values = [model, String(version)];
      const histogram = (name: MetricName) => this.versionHistograms.get(name)!.get(values);
      series = {
        labels: { model, version: values[1]! },
        duration: histogram('maas_inference_request_duration_seconds'),
        queue: histogram('maas_inference_queue_duration_seconds'),
        compute: histogram('maas_inference_compute_infer_duration_seconds'),
        batch: undefined,
      };
      versions.set(version, series);
    }
    return series;
  }

  private counter(name: MetricName): PromClient.Counter {
    return this.counters.get(name)!;
  }

  private gauge(name: MetricName): PromClient.Gauge {
    return this.gauges.get(name)!;
  }
}
