// Training jobs, newest first, by status: the model, the epoch reached and the last loss.
import { session } from '../api/session.js';
import { JobListPage } from '../components/job-list.js';
import { formatNumber } from '../lib/format.js';

export function JobsPage() {
  return (
    <JobListPage
      title="Training jobs"
      base="/jobs"
      newText="New training job"
      list={async (params, signal) => (await session.client.trainingJobs.list(params, { signal })).data}
      columns={['Model', 'Epoch', 'Loss']}
      cells={(j) => (
        <>
          <td>{j.model}</td>
          <td class="num">
            {j.metrics?.epoch ?? 0} / {j.hyperparameters.epochs}
          </td>
          <td class="num">{j.metrics ? formatNumber(j.metrics.train_loss) : '–'}</td>
        </>
      )}
    />
  );
}
