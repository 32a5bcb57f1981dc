// Who runs a job when several processes share the store: the compare-and-set changes a process applies to a job
// record (through JobRecords.update) to claim it, renew its lease, hand it back, or take it from a process that
// stopped renewing. Pure functions of the record and the clock; scheduler.ts and runs.ts apply them.
import type { JobChange } from '../store/store.js';
import type { JobClaim, JobRecord } from './types.js';

/** What every new job starts with on a shared store: waiting for a process. */
export const unclaimed = (): JobClaim => ({ attempt: 1, worker: null, leaseUntil: 0 });

/** Whether `worker` holds the job under this attempt: every write of a run is fenced by this. */
export function holds(job: JobRecord, worker: string, attempt: number): boolean {
  return job.claim?.worker === worker && job.claim.attempt === attempt;
}

/** The job waits for a process now and did not before: a new job, or one handed back or taken from a stopped one. */
export function needsWorker(job: JobRecord, previous: JobRecord | undefined): boolean {
  if (!previous) return job.status === 'queued';
  return job.status === 'running' && job.claim?.worker === null && previous.claim?.worker !== null;
}

/** A running job whose holder stopped renewing (or that waits for a process): another may claim it. */
export function claimable(job: JobRecord, now: number): boolean {
  if (job.status === 'queued') return true;
  return job.status === 'running' && !!job.claim && (job.claim.worker === null || job.claim.leaseUntil < now);
}

/** Claims a queued job (→ running) or a claimable running one (a resume); declines anything else. */
export function claim(worker: string, now: number, leaseMs: number, startedAt: string) {
  return (job: JobRecord): JobChange | undefined => {
    if (!claimable(job, now)) return undefined;
    const previous = job.claim ?? unclaimed();
    // Taking a job from a holder that never handed it back fences that holder out: a new attempt.
    const attempt = previous.worker === null ? previous.attempt : previous.attempt + 1;
    job.claim = { attempt, worker, leaseUntil: now + leaseMs };
    if (job.status === 'running') return { events: [] };
    job.status = 'running';
    job.started_at = startedAt;
    return { events: [{ type: 'status', status: 'running' }] };
  };
}

/** Extends the holder's lease; declines when the job is no longer its own (or has ended). */
export function renew(worker: string, attempt: number, now: number, leaseMs: number) {
  return (job: JobRecord): JobChange | undefined => {
    if (job.status !== 'running' || !holds(job, worker, attempt)) return undefined;
    job.claim = { attempt, worker, leaseUntil: now + leaseMs };
    return { events: [] };
  };
}

/** Hands a running job back (a clean shutdown): the next process resumes it at once from its checkpoint. */
export function release(worker: string, attempt: number) {
  return (job: JobRecord): JobChange | undefined => {
    if (job.status !== 'running' || !holds(job, worker, attempt)) return undefined;
    job.claim = { attempt: attempt + 1, worker: null, leaseUntil: 0 };
    return { events: [{ type: 'message', message: 'The process running the job stopped; it resumes elsewhere' }] };
  };
}

/** Takes the job from a holder whose lease ran out (it died or hangs), so the queue hands it to another. */
export function reap(now: number) {
  return (job: JobRecord): JobChange | undefined => {
    const held = job.claim;
    if (job.status !== 'running' || !held || held.worker === null || held.leaseUntil >= now) return undefined;
    job.claim = { attempt: held.attempt + 1, worker: null, leaseUntil: 0 };
    return {
      events: [
        {
          type: 'message',
          message:
            'The process running the job stopped renewing its lease; another resumes it from its last checkpoint',
        },
      ],
    };
  };
}
