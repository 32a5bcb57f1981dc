/**
 * A distributed queue engine that hands jobs to processes (pg-boss: server/jobs/pg-boss-queue.ts). Entries are
 * written with the job (see needsWorker in claims.ts), delivered at least once; the store's claim makes running a
 * job happen once. Without a queue, each process claims queued jobs from the store itself.
 */
export interface JobQueue {
  /** The next entry for this process, or undefined when none waits. */
  take(): Promise<QueueEntry | undefined>;
  /** Entries waiting for a process: the queue depth. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

export interface QueueEntry {
  jobId: string;
  /** Done with the entry (the job was claimed, or no longer needs a process): the queue forgets it. */
  ack(): Promise<void>;
}
