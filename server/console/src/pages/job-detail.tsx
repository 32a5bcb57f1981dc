// A training job, live: its events over SSE (useJobEvents) drawn as loss and accuracy curves per epoch and listed as
// a log, its progress, cancel, and the version it deployed.
import type { TrainingJobEvent } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { ErrorView } from '../components/error-view.js';
import { CancelJobButton, EventLog, JobCharts, JobHeading } from '../components/job-parts.js';
import { useAsync } from '../hooks/use-async.js';
import { type OpenStream, useJobEvents, useJobSettles } from '../hooks/use-job-events.js';
import { formatTime } from '../lib/format.js';
import { href, Link } from '../router.js';

const openStream: OpenStream<TrainingJobEvent> = (id, options) => session.client.trainingJobs.stream(id, options);

export function JobDetailPage({ id }: { id: string }) {
  const job = useAsync((signal) => session.client.trainingJobs.retrieve(id, { signal }), [id]);
  const live = useJobEvents(id, openStream);
  const j = job.data;
  const status = live.status ?? j?.status;
  const epochs = j?.hyperparameters.epochs ?? 0;
  const epoch = live.curves.epochs.at(-1) ?? j?.metrics?.epoch ?? 0;
  useJobSettles(job, live.status);
  return (
    <section>
      <JobHeading base="/jobs" listTitle="Training jobs" id={id} status={status} job={job} />
      {j && (
        <>
          <dl class="facts">
            <dt>Model</dt>
            <dd>{j.model}</dd>
            <dt>Dataset</dt>
            <dd>
              <code>{j.dataset}</code>
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(j.created_at)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(j.started_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(j.finished_at)}</dd>
            <dt>Progress</dt>
            <dd>
              <progress max={epochs} value={epoch} aria-label="Epochs done" /> epoch{' '}
              <span data-testid="epoch">{epoch}</span> / {epochs}
            </dd>
          </dl>
          <CancelJobButton status={status} cancel={() => session.client.trainingJobs.cancel(id)} onDone={job.replace} />
          {j.result && (
            <p class="card success" data-testid="job-result">
              Deployed as{' '}
              <Link to={href('models', j.result.model)}>
                <strong>{j.result.model}</strong> version{' '}
                <strong data-testid="result-version">{j.result.version}</strong>
              </Link>
              . <Link to={href('playground', j.result.model)}>Try it in the playground</Link>
            </p>
          )}
          {j.error && <ErrorView error={new Error(`${j.error.code}: ${j.error.message}`)} title="The job failed" />}
        </>
      )}
      <h2>Curves</h2>
      <JobCharts live={live} empty="No epoch has finished yet." />
      <ErrorView error={live.error} title="The event stream stopped" />
      {j && (
        <details>
          <summary>Hyperparameters (resolved)</summary>
          <pre class="json">{JSON.stringify(j.hyperparameters, null, 2)}</pre>
        </details>
      )}
      <h2>Events</h2>
      <EventLog events={live.events} />
    </section>
  );
}
