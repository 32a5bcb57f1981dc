import type { TrainingJob, TrainingJobStatus } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { LoadState } from '../components/error-view.js';
import { TableHead } from '../components/table-head.js';
import { useAsync, useInterval } from '../hooks/use-async.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { href, Link, useLocation } from '../router.js';

const STATUSES: TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export function StatusBadge({ status }: { status: TrainingJobStatus }) {
  return (
    <span class={`badge job-${status}`} data-testid="job-status">
      {status}
    </span>
  );
}

export function JobsPage() {
  const { query } = useLocation();
  const wanted = query.get('status');
  const status = STATUSES.includes(wanted as TrainingJobStatus) ? (wanted as TrainingJobStatus) : undefined;
  const jobs = useAsync(
    async (signal) =>
      (await session.client.trainingJobs.list({ limit: 100, ...(status ? { status } : {}) }, { signal })).data,
    [status],
  );
  const live = jobs.data?.some((j) => j.status === 'queued' || j.status === 'running');
  useInterval(jobs.refresh, live ? 2000 : 10_000);
  return (
    <section>
      <h1>Training jobs</h1>
      <p>
        <Link to="/jobs/new" class="button primary">
          New training job
        </Link>
      </p>
      <nav aria-label="Filter by status" class="tabs">
        <Link to="/jobs" aria-current={status === undefined ? 'page' : undefined}>
          all
        </Link>
        {STATUSES.map((s) => (
          <Link key={s} to={`/jobs?status=${s}`} aria-current={status === s ? 'page' : undefined}>
            {s}
          </Link>
        ))}
      </nav>
      <LoadState loading={jobs.loading && !jobs.data} error={jobs.error} />
      {jobs.data && jobs.data.length === 0 && <p>No {status ?? ''} jobs.</p>}
      {jobs.data && jobs.data.length > 0 && <JobsTable jobs={jobs.data} />}
      {jobs.data?.length === 100 && <p class="muted small">The newest 100 jobs.</p>}
    </section>
  );
}

function JobsTable({ jobs }: { jobs: TrainingJob[] }) {
  return (
    <div class="table-wrap">
      <table data-testid="jobs-table">
        <TableHead columns={['Job', 'Status', 'Model', 'Epoch', 'Loss', 'Created', 'Result']} />
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job={j.id}>
              <th scope="row">
                <Link to={href('jobs', j.id)}>{j.id}</Link>
              </th>
              <td>
                <StatusBadge status={j.status} />
                {j.queue_position !== null && j.status === 'queued' && (
                  <span class="muted small"> #{j.queue_position + 1}</span>
                )}
              </td>
              <td>{j.model}</td>
              <td class="num">
                {j.metrics?.epoch ?? 0} / {j.hyperparameters.epochs}
              </td>
              <td class="num">{j.metrics ? formatNumber(j.metrics.train_loss) : '–'}</td>
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
  );
}
