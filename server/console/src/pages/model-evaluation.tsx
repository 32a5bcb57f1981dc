// Evaluate a version on a dataset (POST /v1/models/{model}/versions/{version}/evaluate) and, with another version to
// compare to, both side by side: the other is evaluated too, and the first's agreement and differences are measured
// against it on the same rows.
import { useState } from 'preact/hooks';
import type { ModelEvaluation as Evaluation, Model } from '../../../../src/index.js';
import { listAllDatasets } from '../api/lists.js';
import { session } from '../api/session.js';
import { ComparisonTable } from '../components/comparison-table.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { type EvaluationData, EvaluationDataFields } from '../components/evaluation-data.js';
import { Field } from '../components/form-fields.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import { figureRows } from '../lib/comparison.js';

interface Result {
  evaluation: Evaluation;
  /** The compared-to version's own evaluation, when there was one. */
  reference?: Evaluation;
}

export function ModelEvaluation({ model }: { model: Model }) {
  const datasets = useAsync(listAllDatasets, []);
  const versions = model.versions.map((v) => v.version);
  const [version, setVersion] = useState(model.default_version ?? versions.at(-1) ?? '');
  const [compareTo, setCompareTo] = useState('');
  const [data, setData] = useState<EvaluationData>({ dataset: '', target: '', features: null });
  const [result, setResult] = useState<Result | null>(null);
  const run = useAction();
  const evaluate = async () => {
    setResult(null);
    const body = { dataset: data.dataset, target: data.target, ...(data.features ? { features: data.features } : {}) };
    const m = session.client.models;
    const done = await run.run(() =>
      Promise.all([
        m.evaluate(model.name, version, compareTo ? { ...body, compare_to: compareTo } : body),
        compareTo ? m.evaluate(model.name, compareTo, body) : undefined,
      ]),
    );
    if (done) setResult(done[1] ? { evaluation: done[0], reference: done[1] } : { evaluation: done[0] });
  };
  const e = result?.evaluation;
  return (
    <section class="card" data-testid="evaluation">
      <LoadState loading={datasets.loading && !datasets.data} error={datasets.error} />
      {datasets.data?.length === 0 && <p>Evaluation needs data: upload a dataset first.</p>}
      {datasets.data && datasets.data.length > 0 && (
        <form
          class="job-form"
          onSubmit={(event) => {
            event.preventDefault();
            void evaluate();
          }}
        >
          <Field id="eval-version" label="Version">
            <select id="eval-version" value={version} onChange={(ev) => setVersion(ev.currentTarget.value)}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field id="eval-compare_to" label="Compare to">
            <select id="eval-compare_to" value={compareTo} onChange={(ev) => setCompareTo(ev.currentTarget.value)}>
              <option value="">No other version</option>
              {versions
                .filter((v) => v !== version)
                .map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
            </select>
          </Field>
          <EvaluationDataFields datasets={datasets.data} value={data} onChange={setData} prefix="eval" />
          <button type="submit" class="primary" disabled={run.busy || !data.dataset || !version}>
            {run.busy ? 'Evaluating…' : 'Evaluate'}
          </button>
        </form>
      )}
      <ErrorView error={run.error} title="Evaluation refused" />
      {e && (
        <>
          <p class="muted small" data-testid="evaluation-summary">
            {e.task} on <code>{e.dataset}</code>: {e.rows} rows run, {e.labelled_rows} labelled; output{' '}
            <code>{e.output}</code>; features {e.features.join(', ')}
          </p>
          <ComparisonTable
            rows={result.reference ? figureRows(result.reference, e) : figureRows(e, e)}
            columns={
              result.reference ? [`v${result.reference.version} (reference)`, `v${e.version}`] : [`v${e.version}`]
            }
            caption={
              result.reference
                ? `Version ${e.version} against version ${result.reference.version}`
                : `Version ${e.version}`
            }
            testId="evaluation-table"
          />
        </>
      )}
    </section>
  );
}
