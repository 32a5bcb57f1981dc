// The metric families `GET /metrics` exposes, declared once: the server's prom-client registry is built from this
// table, the msw mock writes their HELP/TYPE lines from it, and docs/observability.md lists the same names (a test
// checks). Names follow Triton's `nv_inference_*` with a `maas_` prefix, in seconds rather than microseconds.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histograms only: upper bounds of the buckets (`+Inf` is implied). */
  readonly buckets?: readonly number[];
}

/** Latency buckets, 100 µs to 10 s: a small model on the CPU answers in a fraction of a millisecond. */
const SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const BATCH_ROWS = [1, 2, 4, 8, 16, 32, 64, 128];
const JOB_SECONDS = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600];
const VERSION = ['model', 'version'] as const;

export const METRIC_FAMILIES = [
  {
    name: 'maas_inference_request_success_total',
    type: 'counter',
    help: 'Inference requests that succeeded, per model version (Triton: nv_inference_request_success)',
    labels: VERSION,
  },
  {
    name: 'maas_inference_request_failure_total',
    type: 'counter',
    help: 'Inference requests that failed after reaching a model version, by the error code of their response (Triton: nv_inference_request_failure)',
    labels: [...VERSION, 'reason'],
  },
  {
    name: 'maas_inference_count_total',
    type: 'counter',
    help: 'Inferences performed: rows of successful requests, a batch of 8 rows counts 8 (Triton: nv_inference_count)',
    labels: VERSION,
  },
  {
    name: 'maas_inference_exec_count_total',
    type: 'counter',
    help: 'Model executions: a dynamic batch of several requests is one (Triton: nv_inference_exec_count)',
    labels: VERSION,
  },
  {
    name: 'maas_inference_request_duration_seconds',
    type: 'histogram',
    help: 'End-to-end time of successful inference requests in the data plane, queue and compute included (Triton: nv_inference_request_duration_us)',
    labels: VERSION,
    buckets: SECONDS,
  },
  {
    name: 'maas_inference_queue_duration_seconds',
    type: 'histogram',
    help: 'Time successful requests waited for the dynamic batcher or a free session (Triton: nv_inference_queue_duration_us)',
    labels: VERSION,
    buckets: SECONDS,
  },
  {
    name: 'maas_inference_compute_infer_duration_seconds',
    type: 'histogram',
    help: 'Time ONNX Runtime ran the model for successful requests (Triton: nv_inference_compute_infer_duration_us)',
    labels: VERSION,
    buckets: SECONDS,
  },
  {
    name: 'maas_inference_batch_size',
    type: 'histogram',
    help: 'Rows per model execution of a version with dynamic batching (a batch counts once, with the rows of all its requests)',
    labels: VERSION,
    buckets: BATCH_ROWS,
  },
  {
    name: 'maas_inference_inflight',
    type: 'gauge',
    help: 'Inference requests in progress per model version, queued or running (Triton: nv_inference_pending_request_count)',
    labels: VERSION,
  },
  {
    name: 'maas_inference_queue_depth',
    type: 'gauge',
    help: "Requests waiting in a version's dynamic batcher (versions with dynamic_batching only)",
    labels: VERSION,
  },
  {
    name: 'maas_inference_server_thread',
    type: 'gauge',
    help: "1 when a loaded version's runs go to the server thread (--session-threads auto, once they proved tiny, or main), 0 when they go to its worker threads",
    labels: VERSION,
  },
  {
    name: 'maas_http_requests_total',
    type: 'counter',
    help: 'Requests answered, by protocol (http; grpc later), method, route pattern and status',
    labels: ['protocol', 'method', 'route', 'status'],
  },
  {
    name: 'maas_jobs_total',
    type: 'counter',
    help: 'Jobs that entered a status, by kind (training) and status, since the server started',
    labels: ['kind', 'status'],
  },
  {
    name: 'maas_jobs_queued',
    type: 'gauge',
    help: "Jobs waiting to start, by kind: the queue's depth with --queue, else the jobs with status queued in the store (every replica's)",
    labels: ['kind'],
  },
  {
    name: 'maas_job_duration_seconds',
    type: 'histogram',
    help: 'Run time of finished jobs, from started_at to finished_at, by kind and final status',
    labels: ['kind', 'status'],
    buckets: JOB_SECONDS,
  },
] as const satisfies readonly MetricFamily[];

export type MetricName = (typeof METRIC_FAMILIES)[number]['name'];

/** The text format's content type (Prometheus exposition format 0.0.4), as prom-client writes it. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `# HELP` and `# TYPE` lines of every family and no samples: a valid exposition of a process that measured nothing. */
export function emptyExposition(families: readonly MetricFamily[] = METRIC_FAMILIES): string {
  return `${families.map((f) => `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}`).join('\n\n')}\n`;
}
