// The create form: every field of the training spec with the contract's default filled in; the dataset's columns
// offer the target and the features. What the server refuses comes back field by field.
import { useEffect, useState } from 'preact/hooks';
import type { Dataset } from '../../../../src/index.js';
import { listAllDatasets } from '../api/lists.js';
import { session } from '../api/session.js';
import { DatasetOptions } from '../components/dataset-options.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { FeaturePicker } from '../components/feature-picker.js';
import { CheckField, Field, SelectField, type SetterOf, TextField } from '../components/form-fields.js';
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

type Setter = SetterOf<JobForm>;
const prefix = 'job';

function Features({ dataset, form, set, error }: { dataset: Dataset; form: JobForm; set: Setter; error?: string }) {
  return (
    <FeaturePicker
      candidates={dataset.columns.map((c) => c.name).filter((n) => n !== form.target)}
      features={form.features}
      onChange={(features) => set('features', features)}
      defaultText="every other column with values (string columns with many distinct values are left out)"
      error={error}
    />
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
            {...{ form, set, errors, prefix }}
          />
          <Field id="job-dataset" label="Dataset" error={errors.dataset}>
            <select id="job-dataset" value={form.dataset} onChange={(e) => set('dataset', e.currentTarget.value)}>
              <option value="" disabled>
                Choose a dataset
              </option>
              <DatasetOptions datasets={datasets.data ?? []} />
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
          <SelectField
            name="task"
            label="Task"
            options={[
              ['', 'Default: classification for a string target, regression for a number'],
              ['classification', 'classification'],
              ['regression', 'regression'],
            ]}
            {...{ form, set, prefix }}
          />
          {dataset && <Features dataset={dataset} form={form} set={set} error={errors.features} />}
        </fieldset>
        <fieldset>
          <legend>Network</legend>
          <SelectField
            name="architecture"
            label="Architecture"
            options={[
              ['mlp', 'mlp (multi-layer perceptron)'],
              ['logistic', 'logistic (softmax regression)'],
              ['linear', 'linear'],
            ]}
            {...{ form, set, prefix }}
          />
          {form.architecture === 'mlp' && (
            <>
              <TextField
                name="hidden_layers"
                label="Hidden layers"
                hint="Sizes, comma separated"
                inputMode="text"
                {...{ form, set, errors, prefix }}
              />
              <SelectField
                name="activation"
                label="Activation"
                options={[
                  ['relu', 'relu'],
                  ['tanh', 'tanh'],
                  ['sigmoid', 'sigmoid'],
                ]}
                {...{ form, set, prefix }}
              />
            </>
          )}
          <SelectField
            name="loss"
            label="Loss"
            options={[
              ['', 'Default: cross_entropy for classification, mse for regression'],
              ['cross_entropy', 'cross_entropy'],
              ['mse', 'mse'],
            ]}
            {...{ form, set, prefix }}
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
          <TextField name="learning_rate" label="Learning rate" {...{ form, set, errors, prefix }} />
          {form.optimizer === 'sgd' && (
            <>
              <TextField name="momentum" label="Momentum" {...{ form, set, errors, prefix }} />
              <CheckField name="nesterov" label="Nesterov (needs momentum > 0)" {...{ form, set, prefix }} />
            </>
          )}
          {form.optimizer === 'adam' && (
            <>
              <TextField name="beta1" label="β1" {...{ form, set, errors, prefix }} />
              <TextField name="beta2" label="β2" {...{ form, set, errors, prefix }} />
              <TextField name="epsilon" label="ε" {...{ form, set, errors, prefix }} />
              <TextField name="weight_decay" label="Weight decay (AdamW)" {...{ form, set, errors, prefix }} />
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>Schedule</legend>
          <TextField name="epochs" label="Epochs" inputMode="numeric" {...{ form, set, errors, prefix }} />
          <TextField
            name="batch_size"
            label="Batch size"
            inputMode="numeric"
            hint={form.optimizer === 'gd' ? 'gd uses the whole training split per step' : undefined}
            {...{ form, set, errors, prefix }}
          />
          <TextField
            name="validation_split"
            label="Validation split"
            hint={form.validation_dataset ? 'not used with a validation dataset' : '0 disables validation'}
            {...{ form, set, errors, prefix }}
          />
          <CheckField name="early_stopping" label="Early stopping on validation loss" {...{ form, set, prefix }} />
          {form.early_stopping && (
            <>
              <TextField
                name="patience"
                label="Patience (epochs)"
                inputMode="numeric"
                {...{ form, set, errors, prefix }}
              />
              <TextField name="min_delta" label="Minimum improvement" {...{ form, set, errors, prefix }} />
            </>
          )}
          <TextField
            name="seed"
            label="Seed"
            inputMode="numeric"
            hint="Empty: a random seed (reported in the job)"
            {...{ form, set, errors, prefix }}
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
