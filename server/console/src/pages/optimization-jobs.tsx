// Optimisation jobs, newest first, by status: the parent, the method and the gate's verdict.
import { describeMethod } from '../../../../src/protocol/optimization-spec.js';
import { session } from '../api/session.js';
import { JobListPage } from '../components/job-list.js';
import { href, Link } from '../router.js';

export const OPTIMIZATION_BASE = '/optimization-jobs';

export function OptimizationJobsPage() {
  return (
    <JobListPage
      title="Optimisation jobs"
      base={OPTIMIZATION_BASE}
      newText="New optimisation job"
      list={async (params, signal) => (await session.client.optimizationJobs.list(params, { signal })).data}
      columns={['Parent', 'Method', 'Gate']}
      cells={(j) => (
        <>
          <td>
            <Link to={href('models', j.model)}>
              {j.model} v{j.version}
            </Link>
          </td>
          <td>{describeMethod(j.method)}</td>
          <td>{j.report ? (j.report.gate.passed ? 'passed' : 'failed') : '–'}</td>
        </>
      )}
    />
  );
}
