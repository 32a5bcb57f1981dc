// What the training and optimisation job pages share: the status badge, the status filter of a list, the curves per
// epoch, the event log and the cancel button.
import type { TrainingJobStatus } from '../../../../src/index.js';
import { useAction } from '../hooks/use-async.js';
import type { JobEvent, LiveJob } from '../hooks/use-job-events.js';
import { ACCURACY_SERIES, hasValues, LOSS_SERIES } from '../lib/curves.js';
import { eventText } from '../lib/job-events.js';
import { Link, useLocation } from '../router.js';
import { ErrorView, LoadState } from './error-view.js';
import { LineChart } from './line-chart.js';

export const JOB_STATUSES: TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export function StatusBadge({ status }: { status: TrainingJobStatus }) {
  return (
    <span class={`badge job-${status}`} data-testid="job-status">
      {status}
    </span>
  );
}

/** The `?status=` a list page filters by (undefined: all), and the tabs that set it. */
export function useStatusFilter(base: string): { status: TrainingJobStatus | undefined; tabs: preact.JSX.Element } {
  const { query } = useLocation();
  const wanted = query.get('status');
  const status = JOB_STATUSES.includes(wanted as TrainingJobStatus) ? (wanted as TrainingJobStatus) : undefined;
  const tabs = (
    <nav aria-label="Filter by status" class="tabs">
      <Link to={base} aria-current={status === undefined ? 'page' : undefined}>
        all
      </Link>
      {JOB_STATUSES.map((s) => (
        <Link key={s} to={`${base}?status=${s}`} aria-current={status === s ? 'page' : undefined}>
          {s}
        </Link>
      ))}
    </nav>
  );
  return { status, tabs };
}

/** Loss and accuracy per epoch, as the events brought them. */
export function JobCharts({ live, empty }: { live: LiveJob<JobEvent>; empty: string }) {
  const { curves, version } = live;
  const pick = (names: readonly (keyof typeof curves.series)[]) =>
    names.filter((s) => hasValues(curves.series[s])).map((s) => ({ label: s, values: curves.series[s] }));
  const loss = pick(LOSS_SERIES);
  const accuracy = pick(ACCURACY_SERIES);
  if (curves.epochs.length === 0) return <p class="muted">{empty}</p>;
  return (
    <div class="two">
      <LineChart id="loss-chart" title="Loss" x={curves.epochs} series={loss} version={version} xLabel="epoch" />
      {accuracy.length > 0 && (
        <LineChart
          id="accuracy-chart"
          title="Accuracy"
          x={curves.epochs}
          series={accuracy}
          version={version}
          xLabel="epoch"
        />
      )}
    </div>
  );
}

export function EventLog({ events }: { events: JobEvent[] }) {
  return (
    <ol class="log" data-testid="event-log" aria-live="off">
      {events.map((e) => (
        <li key={e.id} data-type={e.type}>
          <span class="muted small">
            #{e.id} {new Date(e.created_at).toLocaleTimeString()}
          </span>{' '}
          {eventText(e)}
        </li>
      ))}
    </ol>
  );
}

/** Cancels a queued or running job; hands the job as the cancel answered it back. */
export function CancelJobButton<J>({
  status,
  cancel,
  onDone,
}: {
  status: TrainingJobStatus | undefined;
  cancel(): Promise<J>;
  onDone(job: J): void;
}) {
  const action = useAction();
  if (status !== 'queued' && status !== 'running') return <ErrorView error={action.error} title="Cancel refused" />;
  return (
    <>
      <p>
        <button
          type="button"
          class="danger"
          disabled={action.busy}
          onClick={async () => {
            const done = await action.run(cancel);
            if (done) onDone(done);
          }}
        >
          Cancel the job
        </button>
      </p>
      <ErrorView error={action.error} title="Cancel refused" />
    </>
  );
}

/** A job page's breadcrumb back to its list, the job's id with its status, and the job's load state. */
export function JobHeading({
  base,
  listTitle,
  id,
  status,
  job,
}: {
  base: string;
  listTitle: string;
  id: string;
  status: TrainingJobStatus | undefined;
  job: { loading: boolean; data: unknown; error: unknown };
}) {
  return (
    <>
      <p class="crumbs">
        <Link to={base}>{listTitle}</Link> /
      </p>
      <h1>
        {id} {status && <StatusBadge status={status} />}
      </h1>
      <LoadState loading={job.loading && !job.data} error={job.error} />
    </>
  );
}
