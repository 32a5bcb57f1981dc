// Optimisation jobs, newest first, by status: the parent, the method, the stage of a running job, the gate's verdict
// and the version published.
import type { OptimizationJob } from '../../../../src/index.js';
import { describeMethod } from '../../../../src/protocol/optimization-spec.js';
import { session } from '../api/session.js';
import { LoadState } from '../components/error-view.js';
import { StatusBadge, useStatusFilter } from '../components/job-parts.js';
import { TableHead } from '../components/table-head.js';
import { useAsync, useInterval } from '../hooks/use-async.js';
import { formatTime } from '../lib/format.js';
import { href, Link } from '../router.js';

export const OPTIMIZATION_BASE = '/optimization-jobs';

export function OptimizationJobsPage() {
  const { status, tabs } = useStatusFilter(OPTIMIZATION_BASE);
  const jobs = useAsync(
    async (signal) =>
      (await session.client.optimizationJobs.list({ limit: 100, ...(status ? { status } : {}) }, { signal })).data,
    [status],
  );
  const live = jobs.data?.some((j) => j.status === 'queued' || j.status === 'running');
  useInterval(jobs.refresh, live ? 2000 : 10_000);
  return (
    <section>
      <h1>Optimisation jobs</h1>
      <p>
        <Link to={`${OPTIMIZATION_BASE}/new`} class="button primary">
          New optimisation job
        </Link>
      </p>
      {tabs}
      <LoadState loading={jobs.loading && !jobs.data} error={jobs.error} />
      {jobs.data && jobs.data.length === 0 && <p>No {status ?? ''} optimisation jobs.</p>}
      {jobs.data && jobs.data.length > 0 && <OptimizationJobsTable jobs={jobs.data} />}
      {jobs.data?.length === 100 && <p class="muted small">The newest 100 jobs.</p>}
    </section>
  );
}

function OptimizationJobsTable({ jobs }: { jobs: OptimizationJob[] }) {
  return (
    <div class="table-wrap">
      <table data-testid="jobs-table">
        <TableHead columns={['Job', 'Status', 'Parent', 'Method', 'Gate', 'Created', 'Result']} />
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job={j.id}>
              <th scope="row">
                <Link to={href('optimization-jobs', j.id)}>{j.id}</Link>
              </th>
              <td>
                <StatusBadge status={j.status} />
                {j.stage && j.status === 'running' && <span class="muted small"> {j.stage}</span>}
                {j.queue_position !== null && j.status === 'queued' && (
                  <span class="muted small"> #{j.queue_position + 1}</span>
                )}
              </td>
              <td>
                <Link to={href('models', j.model)}>
                  {j.model} v{j.version}
                </Link>
              </td>
              <td>{describeMethod(j.method)}</td>
              <td>{j.report ? (j.report.gate.passed ? 'passed' : 'failed') : '–'}</td>
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
