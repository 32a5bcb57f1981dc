// The create form: every field of the training spec with the contract's default filled in; the dataset's columns
// offer the target and the features. What the server refuses comes back field by field.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Dataset } from '../../../../src/index.js';
import { listAllDatasets } from '../api/lists.js';
import { session } from '../api/session.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import {
  buildJobRequest,
  defaultJobForm,
  type FieldErrors,
  type JobForm,
  type OptimizerType,
  withOptimizer,
} from '../lib/job-form.js';
import { href, Link, navigate, useLocation } from '../router.js';

type Setter = <K extends keyof JobForm>(key: K, value: JobForm[K]) => void;

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <span class="muted small" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="error small" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function TextField({
  name,
  label,
  form,
  set,
  errors,
  hint,
  inputMode = 'decimal',
}: {
  name: keyof JobForm;
  label: string;
  form: JobForm;
  set: Setter;
  errors: FieldErrors;
  hint?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const id = `job-${name}`;
  return (
    <Field id={id} label={label} hint={hint} error={errors[name]}>
      <input
        id={id}
        name={name}
        inputMode={inputMode}
        value={String(form[name])}
        aria-invalid={errors[name] ? true : undefined}
        onInput={(e) => set(name, e.currentTarget.value as never)}
      />
    </Field>
  );
}

function Select<K extends keyof JobForm>({
  name,
  label,
  form,
  set,
  options,
  hint,
}: {
  name: K;
  label: string;
  form: JobForm;
  set: Setter;
  options: [string, string][];
  hint?: string;
}) {
  const id = `job-${name}`;
  return (
    <Field id={id} label={label} hint={hint}>
      <select
        id={id}
        name={name}
        value={String(form[name])}
        onChange={(e) => set(name, e.currentTarget.value as never)}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Features({ dataset, form, set, error }: { dataset: Dataset; form: JobForm; set: Setter; error?: string }) {
  const candidates = dataset.columns.map((c) => c.name).filter((n) => n !== form.target);
  const chosen = form.features ?? candidates;
  return (
    <fieldset class={`field features${error ? ' invalid' : ''}`}>
      <legend>Features</legend>
      <label class="inline">
        <input
          type="checkbox"
          checked={form.features === null}
          onChange={(e) => set('features', e.currentTarget.checked ? null : candidates)}
        />{' '}
        Default: every other column with values (string columns with many distinct values are left out)
      </label>
      {form.features !== null && (
        <div class="checks">
          {candidates.map((name) => (
            <label key={name} class="inline">
              <input
                type="checkbox"
                checked={chosen.includes(name)}
                onChange={(e) =>
                  set(
                    'features',
                    e.currentTarget.checked
                      ? candidates.filter((c) => c === name || chosen.includes(c))
                      : chosen.filter((c) => c !== name),
                  )
                }
              />{' '}
              {name}
            </label>
          ))}
        </div>
      )}
      {error && <span class="error small">{error}</span>}
    </fieldset>
  );
}

export function JobNewPage() {
  const { query } = useLocation();
  const datasets = useAsync(listAllDatasets, []);
  const [form, setForm] = useState<JobForm>(() => ({ ...defaultJobForm(), dataset: query.get('dataset') ?? '' }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useAction();
  const set: Setter = (key, value) => setForm((f) => ({ ...f, [key]: value }));
  const dataset = datasets.data?.find((d) => d.id === form.dataset);

  // Pick the first dataset, and a target: the last column (the usual place of the label).
  useEffect(() => {
    if (!form.dataset && datasets.data?.[0]) set('dataset', datasets.data[0].id);
  }, [datasets.data, form.dataset]);
  useEffect(() => {
    if (dataset && !dataset.columns.some((c) => c.name === form.target)) {
      setForm((f) => ({ ...f, target: dataset.columns.at(-1)?.name ?? '', features: null }));
    }
  }, [dataset, form.target]);

  const submit = async () => {
    const built = buildJobRequest(form);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    const job = await create.run(() => session.client.trainingJobs.create(built.body));
    if (job) navigate(href('jobs', job.id));
  };

  return (
    <section>
      <p class="crumbs">
        <Link to="/jobs">Training jobs</Link> /
      </p>
      <h1>New training job</h1>
      <LoadState loading={datasets.loading && !datasets.data} error={datasets.error} />
      {datasets.data?.length === 0 && (
        <p>
          There is no dataset to train on: <Link to="/datasets">upload one</Link> first.
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
          <legend>Data and model</legend>
          <TextField
            name="model"
            label="Deploy as model"
            inputMode="text"
            hint="The trained network becomes this model's next version."
            {...{ form, set, errors }}
          />
          <Field id="job-dataset" label="Dataset" error={errors.dataset}>
            <select id="job-dataset" value={form.dataset} onChange={(e) => set('dataset', e.currentTarget.value)}>
              <option value="" disabled>
                Choose a dataset
              </option>
              {datasets.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name ? `${d.name} (${d.id})` : d.id} · {d.rows} rows
                </option>
              ))}
            </select>
          </Field>
          <Field id="job-validation_dataset" label="Validation dataset">
            <select
              id="job-validation_dataset"
              value={form.validation_dataset}
              onChange={(e) => set('validation_dataset', e.currentTarget.value)}
            >
              <option value="">None (hold out the validation split)</option>
              {datasets.data
                ?.filter((d) => d.id !== form.dataset)
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name ? `${d.name} (${d.id})` : d.id}
                  </option>
                ))}
            </select>
          </Field>
          <Field id="job-target" label="Target column" error={errors.target}>
            <select id="job-target" value={form.target} onChange={(e) => set('target', e.currentTarget.value)}>
              {dataset?.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.type})
                </option>
              ))}
            </select>
          </Field>
          <Select
            name="task"
            label="Task"
            options={[
              ['', 'Default: classification for a string target, regression for a number'],
              ['classification', 'classification'],
              ['regression', 'regression'],
            ]}
            {...{ form, set }}
          />
          {dataset && <Features dataset={dataset} form={form} set={set} error={errors.features} />}
        </fieldset>
        <fieldset>
          <legend>Network</legend>
          <Select
            name="architecture"
            label="Architecture"
            options={[
              ['mlp', 'mlp (multi-layer perceptron)'],
              ['logistic', 'logistic (softmax regression)'],
              ['linear', 'linear'],
            ]}
            {...{ form, set }}
          />
          {form.architecture === 'mlp' && (
            <>
              <TextField
                name="hidden_layers"
                label="Hidden layers"
                hint="Sizes, comma separated"
                inputMode="text"
                {...{ form, set, errors }}
              />
              <Select
                name="activation"
                label="Activation"
                options={[
                  ['relu', 'relu'],
                  ['tanh', 'tanh'],
                  ['sigmoid', 'sigmoid'],
                ]}
                {...{ form, set }}
              />
            </>
          )}
          <Select
            name="loss"
            label="Loss"
            options={[
              ['', 'Default: cross_entropy for classification, mse for regression'],
              ['cross_entropy', 'cross_entropy'],
              ['mse', 'mse'],
            ]}
            {...{ form, set }}
          />
        </fieldset>
        <fieldset>
          <legend>Optimizer</legend>
          <Field id="job-optimizer" label="Optimizer">
            <select
              id="job-optimizer"
              value={form.optimizer}
              onChange={(e) => setForm((f) => withOptimizer(f, e.currentTarget.value as OptimizerType))}
            >
              <option value="adam">adam</option>
              <option value="sgd">sgd (with momentum)</option>
              <option value="gd">gd (full batch)</option>
            </select>
          </Field>
          <TextField name="learning_rate" label="Learning rate" {...{ form, set, errors }} />
          {form.optimizer === 'sgd' && (
            <>
              <TextField name="momentum" label="Momentum" {...{ form, set, errors }} />
              <label class="inline field">
                <input
                  type="checkbox"
                  checked={form.nesterov}
                  onChange={(e) => set('nesterov', e.currentTarget.checked)}
                />{' '}
                Nesterov (needs momentum &gt; 0)
              </label>
            </>
          )}
          {form.optimizer === 'adam' && (
            <>
              <TextField name="beta1" label="β1" {...{ form, set, errors }} />
              <TextField name="beta2" label="β2" {...{ form, set, errors }} />
              <TextField name="epsilon" label="ε" {...{ form, set, errors }} />
              <TextField name="weight_decay" label="Weight decay (AdamW)" {...{ form, set, errors }} />
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>Schedule</legend>
          <TextField name="epochs" label="Epochs" inputMode="numeric" {...{ form, set, errors }} />
          <TextField
            name="batch_size"
            label="Batch size"
            inputMode="numeric"
            hint={form.optimizer === 'gd' ? 'gd uses the whole training split per step' : undefined}
            {...{ form, set, errors }}
          />
          <TextField
            name="validation_split"
            label="Validation split"
            hint={form.validation_dataset ? 'not used with a validation dataset' : '0 disables validation'}
            {...{ form, set, errors }}
          />
          <label class="inline field">
            <input
              type="checkbox"
              checked={form.early_stopping}
              onChange={(e) => set('early_stopping', e.currentTarget.checked)}
            />{' '}
            Early stopping on validation loss
          </label>
          {form.early_stopping && (
            <>
              <TextField name="patience" label="Patience (epochs)" inputMode="numeric" {...{ form, set, errors }} />
              <TextField name="min_delta" label="Minimum improvement" {...{ form, set, errors }} />
            </>
          )}
          <TextField
            name="seed"
            label="Seed"
            inputMode="numeric"
            hint="Empty: a random seed (reported in the job)"
            {...{ form, set, errors }}
          />
        </fieldset>
        <ErrorView error={create.error} title="The server refused the job" />
        <button type="submit" class="primary" disabled={create.busy || !form.dataset}>
          {create.busy ? 'Creating…' : 'Start training'}
        </button>
      </form>
    </section>
  );
}
