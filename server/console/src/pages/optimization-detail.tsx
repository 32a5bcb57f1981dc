// An optimisation job, live: its stages and events over SSE (useJobEvents, as the training page), the curves of a
// fine-tuning or distillation, cancel; then its report — parent and candidate side by side, the gate's verdict — and
// a promote button that makes the candidate the model's default.
import type {
  OptimizationJob,
  OptimizationJobEvent,
  OptimizationJobStage,
  TrainingJobStatus,
} from '../../../../src/index.js';
import { describeMethod } from '../../../../src/protocol/optimization-spec.js';
import { session } from '../api/session.js';
import { ComparisonTable } from '../components/comparison-table.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { CancelJobButton, EventLog, JobCharts, JobHeading } from '../components/job-parts.js';
import { TableHead } from '../components/table-head.js';
import { useAsync } from '../hooks/use-async.js';
import { type OpenStream, useJobEvents, useJobSettles } from '../hooks/use-job-events.js';
import { reportRows } from '../lib/comparison.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { STAGES, stageStates } from '../lib/job-events.js';
import { href, Link } from '../router.js';
import { PromoteButton } from './model-routing.js';
import { OPTIMIZATION_BASE } from './optimization-jobs.js';

const openStream: OpenStream<OptimizationJobEvent> = (id, options) =>
  session.client.optimizationJobs.stream(id, options);

function Stages({
  stage,
  status,
}: {
  stage: OptimizationJobStage | null | undefined;
  status: TrainingJobStatus | undefined;
}) {
  const states = stageStates(stage ?? null, status);
  return (
    <ol class="stages" data-testid="stages">
      {STAGES.map(([name, text], i) => (
        <li key={name} data-stage={name} data-state={states[i]} class={`stage-${states[i]}`}>
          {text}
          <span class="visually-hidden"> ({states[i]})</span>
        </li>
      ))}
    </ol>
  );
}

function Verdict({ job }: { job: OptimizationJob }) {
  const gate = job.report!.gate;
  return (
    <div
      class={`card ${gate.passed ? 'success' : 'failed'}`}
      data-testid="gate-verdict"
      data-passed={String(gate.passed)}
    >
      <p>
        <strong>Gate {gate.passed ? 'passed' : 'failed'}</strong> ({gate.method} limits)
        {gate.passed ? '' : ': nothing was published.'}
      </p>
      <ul>
        {gate.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <div class="table-wrap">
        <table class="compact" data-testid="gate-checks">
          <TableHead columns={['Check', 'Limit', 'Measured', 'Result']} />
          <tbody>
            {gate.checks.map((c) => (
              <tr key={c.name} data-check={c.name}>
                <th scope="row">{c.name}</th>
                <td class="num">{formatNumber(c.limit)}</td>
                <td class="num">{c.value === null ? '–' : formatNumber(c.value)}</td>
                <td>{c.passed ? '✓ passed' : '✗ failed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The published candidate's model, and the button that promotes the candidate. */
function Promote({ job }: { job: OptimizationJob }) {
  const result = job.result!;
  const model = useAsync(
    (signal) => session.client.models.retrieve(result.model, { signal }),
    [result.model, result.version],
  );
  const m = model.data;
  return (
    <div class="card" data-testid="promote">
      <LoadState loading={model.loading && !m} error={model.error} />
      {m && (
        <>
          <p>
            Published as <Link to={href('models', result.model)}>{result.model}</Link> version{' '}
            <strong data-testid="result-version">{result.version}</strong>
            {m.versions.find((v) => v.version === result.version)?.candidate
              ? ' (a candidate: it takes no unversioned traffic)'
              : ''}
            . Unversioned requests go to version{' '}
            <strong data-testid="model-default">{m.default_version ?? 'none'}</strong>.
          </p>
          {m.default_version === result.version && m.pinned_version === result.version ? (
            <p role="status">The candidate is the model's default.</p>
          ) : (
            <PromoteButton model={m} version={result.version} onChange={model.replace} />
          )}
        </>
      )}
    </div>
  );
}

function Report({ job }: { job: OptimizationJob }) {
  const report = job.report!;
  return (
    <>
      <h2>Report</h2>
      <Verdict job={job} />
      {job.result && <Promote job={job} />}
      <ComparisonTable
        rows={reportRows(report)}
        columns={[`Parent v${job.version}`, job.result ? `Candidate v${job.result.version}` : 'Candidate']}
        caption={`${describeMethod(job.method)}, evaluated on ${job.evaluation.dataset} (${report.candidate.rows} rows)`}
        testId="report-table"
      />
      <dl class="facts">
        <dt>Size ratio</dt>
        <dd>
          ×{formatNumber(report.size_ratio)} (gzipped ×{formatNumber(report.gzip_ratio)})
        </dd>
        <dt>Opset · IR</dt>
        <dd>
          {report.opset} · {report.ir_version}
        </dd>
        <dt>Rewritten</dt>
        <dd>{report.rewritten.length > 0 ? report.rewritten.join(', ') : 'nothing'}</dd>
        {report.skipped.length > 0 && (
          <>
            <dt>Skipped</dt>
            <dd>{report.skipped.map((s) => `${s.node} (${s.op}): ${s.reason}`).join('; ')}</dd>
          </>
        )}
        {Object.keys(report.session_config).length > 0 && (
          <>
            <dt>Session config</dt>
            <dd>
              <code>{JSON.stringify(report.session_config)}</code>
            </dd>
          </>
        )}
      </dl>
      {report.notes.length > 0 && (
        <ul class="muted small">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function OptimizationDetailPage({ id }: { id: string }) {
  const job = useAsync((signal) => session.client.optimizationJobs.retrieve(id, { signal }), [id]);
  const live = useJobEvents(id, openStream);
  useJobSettles(job, live.status);
  const j = job.data;
  const status = live.status ?? j?.status;
  const trains = j && (j.method.type === 'distill' || (j.method.type === 'prune' && j.method.fine_tune !== null));
  return (
    <section>
      <JobHeading base={OPTIMIZATION_BASE} listTitle="Optimisation jobs" id={id} status={status} job={job} />
      {j && (
        <>
          <dl class="facts">
            <dt>Parent</dt>
            <dd>
              <Link to={href('models', j.model)}>
                {j.model} v{j.version}
              </Link>
            </dd>
            <dt>Method</dt>
            <dd>{describeMethod(j.method)}</dd>
            <dt>Evaluation</dt>
            <dd>
              <code>{j.evaluation.dataset}</code>, target {j.evaluation.target}
              {j.evaluation.features && `, features ${j.evaluation.features.join(', ')}`}
            </dd>
            <dt>Publish as</dt>
            <dd>
              {j.output_model} {j.promote ? '(promoted if it passes)' : '(a candidate)'}
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(j.created_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(j.finished_at)}</dd>
          </dl>
          <Stages stage={live.stage ?? j.stage} status={status} />
          <CancelJobButton
            status={status}
            cancel={() => session.client.optimizationJobs.cancel(id)}
            onDone={job.replace}
          />
          {j.error && <ErrorView error={new Error(`${j.error.code}: ${j.error.message}`)} title="The job failed" />}
          {j.report && <Report job={j} />}
          {trains && (
            <>
              <h2>Curves</h2>
              <JobCharts live={live} empty="No epoch has finished yet." />
            </>
          )}
          <details>
            <summary>Spec (resolved)</summary>
            <pre class="json">
              {JSON.stringify({ method: j.method, evaluation: j.evaluation, gate: j.gate }, null, 2)}
            </pre>
          </details>
        </>
      )}
      <ErrorView error={live.error} title="The event stream stopped" />
      <h2>Events</h2>
      <EventLog events={live.events} />
    </section>
  );
}
