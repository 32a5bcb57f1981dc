// Job status changes → `maas_jobs_total{kind,status}`, `maas_job_duration_seconds` when a job ends, and one
// `job status` log line each, carrying the trace of the request that created the job. The trace stays in the logs:
// the event schema of openapi.yaml has no field for it. Jobs created before a restart log without one.
import type { EventObserver, JobEvents } from '../jobs/events.js';
import type { TrainingJob } from '../jobs/types.js';
import { isTerminal } from '../jobs/types.js';
import type { JobKind, ServerMetrics } from './metrics.js';

export interface JobObservation {
  events: JobEvents;
  metrics: ServerMetrics;
  log: { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
  /** Reads a job when it has ended, for its run time. */
  retrieve(id: string): Promise<Pick<TrainingJob, 'started_at' | 'finished_at'>>;
  kind?: JobKind;
}

/** Run time in seconds, started_at to finished_at; undefined for a job that never started. */
export function runSeconds(job: Pick<TrainingJob, 'started_at' | 'finished_at'>): number | undefined {
  if (!job.started_at || !job.finished_at) return undefined;
  return Math.max(0, (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000);
}

/** Observes every job status event of `events`. */
export function observeJobs({ events, metrics, log, retrieve, kind = 'training' }: JobObservation): void {
  const traces = new Map<string, string>();
  const observer: EventObserver = (jobId, published, origin) => {
    if (origin?.traceId) traces.set(jobId, origin.traceId);
    for (const event of published) {
      const status = event.status;
      if (event.type !== 'status' || status === undefined) continue;
      const traceId = traces.get(jobId);
      log.info({ job: jobId, kind, status, ...(traceId ? { trace_id: traceId } : {}) }, 'job status');
      metrics.jobStatus(kind, status);
      if (!isTerminal(status)) continue;
      traces.delete(jobId);
      retrieve(jobId)
        .then((job) => {
          const seconds = runSeconds(job);
          if (seconds !== undefined) metrics.jobFinished(kind, status, seconds);
        })
        .catch((err: unknown) => log.warn({ err, job: jobId }, 'job metrics: cannot read the finished job'));
    }
  };
  events.observe(observer);
}
