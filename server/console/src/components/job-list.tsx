// A list page of jobs (training or optimisation): newest first, filtered by status with tabs, polled while a job is
// live; each row links the job, its status (queue position, stage), the kind's own columns, and what it produced.
import type { ComponentChildren } from 'preact';
import type { TrainingJobStatus } from '../../../../src/index.js';
import { useAsync, useInterval } from '../hooks/use-async.js';
import { formatTime } from '../lib/format.js';
import { href, Link } from '../router.js';
import { LoadState } from './error-view.js';
import { StatusBadge, useStatusFilter } from './job-parts.js';
import { TableHead } from './table-head.js';

/** What every job kind has that the list shows. */
export interface ListedJob {
  id: string;
  status: TrainingJobStatus;
  queue_position: number | null;
  stage?: string | null;
  created_at: string;
  result: { model: string; version: string } | null;
  error: { code: string } | null;
}

export interface JobListProps<J extends ListedJob> {
  title: string;
  /** The list's console path (`/jobs`); a job's page is under it. */
  base: string;
  newText: string;
  /** One page of the kind's jobs (the SDK's `list`). */
  list(params: { limit: number; status?: TrainingJobStatus }, signal: AbortSignal): Promise<J[]>;
  /** The kind's own columns, between Status and Created. */
  columns: string[];
  cells(job: J): ComponentChildren;
}

export function JobListPage<J extends ListedJob>({ title, base, newText, list, columns, cells }: JobListProps<J>) {
  const { status, tabs } = useStatusFilter(base);
  const jobs = useAsync((signal) => list({ limit: 100, ...(status ? { status } : {}) }, signal), [status]);
  const live = jobs.data?.some((j) => j.status === 'queued' || j.status === 'running');
  useInterval(jobs.refresh, live ? 2000 : 10_000);
  return (
    <section>
      <h1>{title}</h1>
      <p>
        <Link to={`${base}/new`} class="button primary">
          {newText}
        </Link>
      </p>
      {tabs}
      <LoadState loading={jobs.loading && !jobs.data} error={jobs.error} />
      {jobs.data && jobs.data.length === 0 && <p>No {status ?? ''} jobs.</p>}
      {jobs.data && jobs.data.length > 0 && (
        <div class="table-wrap">
          <table data-testid="jobs-table">
            <TableHead columns={['Job', 'Status', ...columns, 'Created', 'Result']} />
            <tbody>
              {jobs.data.map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <th scope="row">
                    <Link to={base + href(j.id)}>{j.id}</Link>
                  </th>
                  <td>
                    <StatusBadge status={j.status} />
                    {j.stage && j.status === 'running' && <span class="muted small"> {j.stage}</span>}
                    {j.queue_position !== null && j.status === 'queued' && (
                      <span class="muted small"> #{j.queue_position + 1}</span>
                    )}
                  </td>
                  {cells(j)}
                  <td>{formatTime(j.created_at)}</td>
                  <td>
                    {j.result ? (
                      <Link to={href('models', j.result.model)}>
                        {j.result.model} v{j.result.version}
                      </Link>
                    ) : (
                      (j.error?.code ?? '–')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {jobs.data?.length === 100 && <p class="muted small">The newest 100 jobs.</p>}
    </section>
  );
}
