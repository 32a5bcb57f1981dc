// The create form of an optimisation job: the version to optimise, the method with each of its fields and defaults,
// the evaluation data, the gate's limits (empty: the method's default, shown as the placeholder) and promote. What the
// server refuses comes back field by field.
import { useEffect, useState } from 'preact/hooks';
import type { Dataset } from '../../../../src/index.js';
import { listAllDatasets, listAllModels } from '../api/lists.js';
import { session } from '../api/session.js';
import { DatasetOptions } from '../components/dataset-options.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { type EvaluationData, EvaluationDataFields } from '../components/evaluation-data.js';
import { CheckField, Field, SelectField, type SetterOf, TextField } from '../components/form-fields.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import { defaultLearningRate, type OptimizerType } from '../lib/job-form.js';
import {
  buildOptimizationRequest,
  defaultOptimizationForm,
  GATE_FIELDS,
  type GateField,
  gateDefault,
  type OptimizationFieldErrors,
  type OptimizationForm,
} from '../lib/optimization-form.js';
import { href, Link, navigate, useLocation } from '../router.js';
import { OPTIMIZATION_BASE } from './optimization-jobs.js';

const prefix = 'opt';
type Bound = { form: OptimizationForm; set: SetterOf<OptimizationForm>; prefix: string };
type BoundWithErrors = Bound & { errors: OptimizationFieldErrors };

const GATE_LABELS: Record<GateField, string> = {
  min_agreement: 'Minimum agreement (share of rows, classification)',
  max_accuracy_drop_pt: 'Maximum accuracy drop (percentage points)',
  max_abs_diff: 'Maximum |candidate − parent|',
  max_rmse_increase: 'Maximum RMSE increase (fraction of the parent’s)',
};

function QuantizeFields(p: Bound) {
  return (
    <>
      <SelectField
        name="precision"
        label="Precision"
        options={[
          ['int8', 'int8'],
          ['fp16', 'fp16 (weight-only)'],
        ]}
        {...p}
      />
      {p.form.precision === 'int8' && (
        <>
          <SelectField
            name="mode"
            label="Mode"
            options={[
              ['dynamic', 'dynamic (integer arithmetic)'],
              ['weight_only', 'weight_only (int8 storage, FP32 arithmetic)'],
            ]}
            {...p}
          />
          <CheckField name="per_channel" label="Per channel (one scale per output channel)" {...p} />
          {p.form.mode === 'dynamic' && (
            <SelectField
              name="reduce_range"
              label="Reduce range (7-bit weights)"
              options={[
                ['', 'Default: on with per-channel, else off'],
                ['true', 'on'],
                ['false', 'off'],
              ]}
              {...p}
            />
          )}
        </>
      )}
    </>
  );
}

function TrainingFields({ datasets, ...p }: BoundWithErrors & { datasets: Dataset[] }) {
  const { form, set } = p;
  return (
    <fieldset>
      <legend>{form.method === 'distill' ? 'Transfer training' : 'Fine-tuning'}</legend>
      <Field
        id={`${prefix}-train_dataset`}
        label={form.method === 'distill' ? 'Transfer set' : 'Training data'}
        error={p.errors.train_dataset}
      >
        <select
          id={`${prefix}-train_dataset`}
          value={form.train_dataset}
          onChange={(e) => set('train_dataset', e.currentTarget.value)}
        >
          <option value="">Choose a dataset</option>
          <DatasetOptions datasets={datasets} />
        </select>
      </Field>
      <TextField name="epochs" label="Epochs" inputMode="numeric" {...p} />
      <TextField name="batch_size" label="Batch size" inputMode="numeric" {...p} />
      <TextField name="seed" label="Seed" inputMode="numeric" {...p} />
      <Field id={`${prefix}-optimizer`} label="Optimizer">
        <select
          id={`${prefix}-optimizer`}
          value={form.optimizer}
          onChange={(e) => {
            const optimizer = e.currentTarget.value as OptimizerType;
            // The learning rate follows the optimizer's default unless it was changed by hand.
            if (form.learning_rate === defaultLearningRate(form.optimizer))
              set('learning_rate', defaultLearningRate(optimizer));
            set('optimizer', optimizer);
          }}
        >
          <option value="adam">adam</option>
          <option value="sgd">sgd</option>
          <option value="gd">gd (full batch)</option>
        </select>
      </Field>
      <TextField name="learning_rate" label="Learning rate" {...p} />
    </fieldset>
  );
}

export function OptimizationNewPage() {
  const { query } = useLocation();
  const models = useAsync(listAllModels, []);
  const datasets = useAsync(listAllDatasets, []);
  const [form, setForm] = useState<OptimizationForm>(() => ({
    ...defaultOptimizationForm(),
    model: query.get('model') ?? '',
    version: query.get('version') ?? '',
  }));
  const [errors, setErrors] = useState<OptimizationFieldErrors>({});
  const create = useAction();
  const set: SetterOf<OptimizationForm> = (key, value) => setForm((f) => ({ ...f, [key]: value }));
  const p = { form, set, prefix, errors };
  const model = models.data?.find((m) => m.name === form.model);
  useEffect(() => {
    if (!form.model && models.data?.[0]) set('model', models.data[0].name);
  }, [models.data, form.model]);

  const submit = async () => {
    const built = buildOptimizationRequest(form);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    const job = await create.run(() => session.client.optimizationJobs.create(built.body));
    if (job) navigate(href('optimization-jobs', job.id));
  };
  const evaluation: EvaluationData = { dataset: form.dataset, target: form.target, features: form.features };
  const trains = form.method === 'distill' || (form.method === 'prune' && form.fine_tune);

  return (
    <section>
      <p class="crumbs">
        <Link to={OPTIMIZATION_BASE}>Optimisation jobs</Link> /
      </p>
      <h1>New optimisation job</h1>
      <LoadState
        loading={(models.loading && !models.data) || (datasets.loading && !datasets.data)}
        error={models.error ?? datasets.error}
      />
      {datasets.data?.length === 0 && (
        <p>
          Evaluation needs data: <Link to="/datasets">upload a dataset</Link> first.
        </p>
      )}
      <form
        class="card job-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>Version to optimise</legend>
          <Field id={`${prefix}-model`} label="Model" error={errors.model}>
            <select
              id={`${prefix}-model`}
              value={form.model}
              onChange={(e) => setForm((f) => ({ ...f, model: e.currentTarget.value, version: '' }))}
            >
              {models.data?.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          </Field>
          <SelectField
            name="version"
            label="Version"
            options={[
              ['', `Default: the version unversioned requests go to (${model?.default_version ?? 'none'})`],
              ...(model?.versions.map((v): [string, string] => [v.version, `${v.version} (${v.state})`]) ?? []),
            ]}
            {...p}
          />
        </fieldset>
        <fieldset>
          <legend>Method</legend>
          <SelectField
            name="method"
            label="Method"
            options={[
              ['quantize', 'quantize (int8 or fp16 weights)'],
              ['prune', 'prune (magnitude pruning)'],
              ['distill', 'distill (train a smaller student)'],
            ]}
            {...p}
          />
          {form.method === 'quantize' && <QuantizeFields {...p} />}
          {form.method === 'prune' && (
            <>
              <TextField
                name="sparsity"
                label="Sparsity"
                hint="Fraction of the MatMul/Gemm/Conv weights set to zero"
                {...p}
              />
              <SelectField
                name="scope"
                label="Scope"
                options={[
                  ['global', 'global (one threshold over every weight)'],
                  ['layer', 'layer (the same sparsity in each)'],
                ]}
                {...p}
              />
              <CheckField name="fine_tune" label="Fine-tune the surviving weights (dense networks)" {...p} />
            </>
          )}
          {form.method === 'distill' && (
            <>
              <SelectField
                name="student_architecture"
                label="Student"
                options={[
                  ['mlp', 'mlp'],
                  ['logistic', 'logistic'],
                ]}
                {...p}
              />
              {form.student_architecture === 'mlp' && (
                <TextField
                  name="student_hidden_layers"
                  label="Student hidden layers"
                  hint="Sizes, comma separated"
                  inputMode="text"
                  {...p}
                />
              )}
              <TextField name="temperature" label="Temperature" {...p} />
              <TextField name="alpha" label="α (weight of the hard-label loss)" {...p} />
              <SelectField
                name="distill_labels"
                label="Hard labels"
                options={[
                  ['evaluation', 'Default: the evaluation target column'],
                  ['none', 'None: learn from the teacher alone'],
                ]}
                {...p}
              />
            </>
          )}
        </fieldset>
        {trains && <TrainingFields datasets={datasets.data ?? []} {...p} />}
        <fieldset>
          <legend>Evaluation</legend>
          {datasets.data && (
            <EvaluationDataFields
              datasets={datasets.data}
              value={evaluation}
              onChange={(v) => setForm((f) => ({ ...f, ...v }))}
              prefix={prefix}
              errors={errors}
            />
          )}
        </fieldset>
        <fieldset>
          <legend>Gate</legend>
          <p class="muted small">
            Empty fields keep the method's default (shown greyed); a limit the method has none for is not checked.
          </p>
          {GATE_FIELDS.map((field) => (
            <TextField
              key={field}
              name={field}
              label={GATE_LABELS[field]}
              placeholder={String(gateDefault(form, field) ?? 'not checked')}
              {...p}
            />
          ))}
        </fieldset>
        <fieldset>
          <legend>Publish</legend>
          <TextField
            name="output_model"
            label="Publish as model"
            inputMode="text"
            placeholder={form.model}
            hint="Default: the next version of the parent model"
            {...p}
          />
          <CheckField name="promote" label="Promote a candidate that passes its gate (default: off)" {...p} />
        </fieldset>
        <ErrorView error={create.error} title="The server refused the job" />
        <button type="submit" class="primary" disabled={create.busy || !form.model || !form.dataset}>
          {create.busy ? 'Creating…' : 'Start optimisation'}
        </button>
      </form>
    </section>
  );
}
