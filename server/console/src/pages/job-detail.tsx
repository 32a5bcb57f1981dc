// A training job, live: its events over SSE (the SDK's stream, read with fetch so the API key goes as a header; it
// reconnects by itself and resumes with Last-Event-ID), drawn as loss and accuracy curves per epoch and listed as a
// log. A finished job replays the same way, so one code path shows both.
import { useEffect, useState } from 'preact/hooks';
import type { TrainingJobEvent, TrainingJobStatus } from '../../../../src/index.js';
import { isTerminalStatus } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { LineChart } from '../components/line-chart.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import { ACCURACY_SERIES, addEpoch, type Curves, emptyCurves, hasValues, LOSS_SERIES } from '../lib/curves.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { href, Link } from '../router.js';
import { StatusBadge } from './jobs.js';

/** The log shows the newest this many events. */
const LOG_LIMIT = 300;

interface Live {
  curves: Curves;
  events: TrainingJobEvent[];
  status: TrainingJobStatus | undefined;
  /** Bumped per batch of events drawn. */
  version: number;
  error: unknown;
  ended: boolean;
}

/** Follows the job's event stream; redraws at most every 50 ms however fast epochs arrive. */
function useJobEvents(id: string): Live {
  const [live, setLive] = useState<Live>(() => fresh());
  useEffect(() => {
    const controller = new AbortController();
    const state = fresh();
    setLive(state);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const draw = () => {
      timer = undefined;
      setLive({ ...state, events: state.events.slice(-LOG_LIMIT), version: ++state.version });
    };
    const schedule = () => {
      timer ??= setTimeout(draw, 50);
    };
    (async () => {
      try {
        for await (const event of session.client.trainingJobs.stream(id, { signal: controller.signal })) {
          state.events.push(event);
          if (state.events.length > LOG_LIMIT * 2) state.events.splice(0, state.events.length - LOG_LIMIT);
          if (event.type === 'metrics' && event.metrics) addEpoch(state.curves, event.metrics);
          if (event.type === 'status' && event.status) state.status = event.status;
          schedule();
        }
        state.ended = true;
        clearTimeout(timer);
        draw();
      } catch (err) {
        if (controller.signal.aborted) return;
        session.report(err);
        state.error = err;
        clearTimeout(timer);
        draw();
      }
    })();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, session.version]);
  return live;
}

function fresh(): Live {
  return { curves: emptyCurves(), events: [], status: undefined, version: 0, error: undefined, ended: false };
}

function eventText(e: TrainingJobEvent): string {
  if (e.type === 'status') return `status → ${e.status}${e.message ? `: ${e.message}` : ''}`;
  if (e.type === 'metrics' && e.metrics) {
    const m = e.metrics;
    const parts = [`epoch ${m.epoch}`, `train_loss ${formatNumber(m.train_loss)}`];
    if (m.val_loss !== undefined) parts.push(`val_loss ${formatNumber(m.val_loss)}`);
    if (m.train_accuracy !== undefined) parts.push(`train_accuracy ${formatNumber(m.train_accuracy)}`);
    if (m.val_accuracy !== undefined) parts.push(`val_accuracy ${formatNumber(m.val_accuracy)}`);
    parts.push(`${Math.round(m.samples_per_second)} samples/s`);
    return parts.join(' · ');
  }
  return e.message ?? '';
}

function Charts({ live }: { live: Live }) {
  const { curves, version } = live;
  const loss = LOSS_SERIES.filter((s) => hasValues(curves.series[s])).map((s) => ({
    label: s,
    values: curves.series[s],
  }));
  const accuracy = ACCURACY_SERIES.filter((s) => hasValues(curves.series[s])).map((s) => ({
    label: s,
    values: curves.series[s],
  }));
  if (curves.epochs.length === 0) return <p class="muted">No epoch has finished yet.</p>;
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

export function JobDetailPage({ id }: { id: string }) {
  const job = useAsync((signal) => session.client.trainingJobs.retrieve(id, { signal }), [id]);
  const live = useJobEvents(id);
  const cancel = useAction();
  const j = job.data;
  const status = live.status ?? j?.status;
  const epochs = j?.hyperparameters.epochs ?? 0;
  const epoch = live.curves.epochs.at(-1) ?? j?.metrics?.epoch ?? 0;
  // The stream's terminal status event can come a moment before the job row says so: read the job again (every
  // 150 ms) until it has ended too, for its result and finish time.
  const terminal = status !== undefined && isTerminalStatus(status);
  useEffect(() => {
    if (!terminal || !j || isTerminalStatus(j.status)) return;
    const timer = setTimeout(job.reload, 150);
    return () => clearTimeout(timer);
  }, [terminal, j]);
  return (
    <section>
      <p class="crumbs">
        <Link to="/jobs">Training jobs</Link> /
      </p>
      <h1>
        {id} {status && <StatusBadge status={status} />}
      </h1>
      <LoadState loading={job.loading && !j} error={job.error} />
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
          {(status === 'queued' || status === 'running') && (
            <p>
              <button
                type="button"
                class="danger"
                disabled={cancel.busy}
                onClick={async () => {
                  const done = await cancel.run(() => session.client.trainingJobs.cancel(id));
                  if (done) job.replace(done);
                }}
              >
                Cancel the job
              </button>
            </p>
          )}
          <ErrorView error={cancel.error} title="Cancel refused" />
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
      <Charts live={live} />
      <ErrorView error={live.error} title="The event stream stopped" />
      {j && (
        <details>
          <summary>Hyperparameters (resolved)</summary>
          <pre class="json">{JSON.stringify(j.hyperparameters, null, 2)}</pre>
        </details>
      )}
      <h2>Events</h2>
      <ol class="log" data-testid="event-log" aria-live="off">
        {live.events.map((e) => (
          <li key={e.id} data-type={e.type}>
            <span class="muted small">
              #{e.id} {new Date(e.created_at).toLocaleTimeString()}
            </span>{' '}
            {eventText(e)}
          </li>
        ))}
      </ol>
    </section>
  );
}
