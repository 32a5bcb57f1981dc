// One inference from a form generated from the model's input metadata: a box per element for small inputs, a text
// area for larger ones, each checked against the datatype and shape before sending; the outputs, the predicted label
// (where the model has one) and the round-trip latency after.
import { useEffect, useState } from 'preact/hooks';
import type { InferInput, Model, TensorMetadata } from '../../../../src/index.js';
import { listAllModels } from '../api/lists.js';
import { session } from '../api/session.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import { formatMs, formatNumber, formatShape } from '../lib/format.js';
import {
  elementCount,
  FormError,
  initialShape,
  MAX_CELLS,
  type OutputView,
  outputView,
  parseShape,
  parseValues,
  predictions,
  toInferInput,
  tokenize,
  valuesJson,
} from '../lib/tensor-form.js';
import { href, Link, navigate } from '../router.js';

interface FieldState {
  shapeText: string;
  /** One text per element (boxes), or null when the input is a text area. */
  cells: string[] | null;
  text: string;
}

/** What an element box starts with: an unticked box is false; other boxes start empty. */
const blank = (input: TensorMetadata) => (input.datatype === 'BOOL' ? 'false' : '');

function initialField(input: TensorMetadata): FieldState {
  const shape = initialShape(input.shape);
  const count = elementCount(shape);
  return count <= MAX_CELLS
    ? { shapeText: shape.join(', '), cells: new Array(count).fill(blank(input)), text: '' }
    : { shapeText: shape.join(', '), cells: null, text: '' };
}

/** A field with a new shape: boxes for a small element count (keeping what was typed), a text area for a large one. */
function reshape(input: TensorMetadata, field: FieldState, shapeText: string): FieldState {
  let count: number;
  try {
    count = elementCount(parseShape(input, shapeText));
  } catch {
    return { ...field, shapeText };
  }
  const texts = field.cells ?? tokenize(input.datatype, field.text);
  if (count <= MAX_CELLS) {
    return { shapeText, cells: Array.from({ length: count }, (_, i) => texts[i] ?? blank(input)), text: '' };
  }
  return { shapeText, cells: null, text: field.cells ? joinTexts(input, field.cells) : field.text };
}

const joinTexts = (input: TensorMetadata, texts: string[]) => texts.join(input.datatype === 'BYTES' ? '\n' : ', ');

/** Index of element `i` in a shape, as `[0, 3]`. */
function indexLabel(shape: number[], i: number): string {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index.unshift(i % size);
    i = Math.floor(i / size);
  }
  return `[${index.join(', ')}]`;
}

function fillValues(input: TensorMetadata, count: number, how: 'zeros' | 'random'): string[] {
  return Array.from({ length: count }, () => {
    if (input.datatype === 'BOOL') return how === 'zeros' ? 'false' : String(Math.random() < 0.5);
    if (input.datatype === 'BYTES') return how === 'zeros' ? '' : Math.random().toString(36).slice(2, 8);
    if (how === 'zeros') return '0';
    return input.datatype.startsWith('FP') ? Math.random().toFixed(4) : String(Math.floor(Math.random() * 10));
  });
}

function InputField({
  input,
  field,
  onChange,
}: {
  input: TensorMetadata;
  field: FieldState;
  onChange(field: FieldState): void;
}) {
  const id = `in-${input.name}`;
  let shape: number[] | undefined;
  try {
    shape = parseShape(input, field.shapeText);
  } catch {
    shape = undefined;
  }
  const fill = (how: 'zeros' | 'random') => {
    if (!shape) return;
    const values = fillValues(input, elementCount(shape), how);
    onChange(field.cells ? { ...field, cells: values } : { ...field, text: joinTexts(input, values) });
  };
  return (
    <fieldset class="tensor" data-input={input.name}>
      <legend>
        <code>{input.name}</code> <span class="muted">{input.datatype}</span>{' '}
        <span class="muted">declared {formatShape(input.shape)}</span>
      </legend>
      <div class="row">
        <label for={`${id}-shape`}>Shape</label>
        <input
          id={`${id}-shape`}
          class="shape"
          value={field.shapeText}
          onInput={(e) => onChange(reshape(input, field, e.currentTarget.value))}
          aria-describedby={`${id}-count`}
        />
        <span id={`${id}-count`} class="muted small">
          {shape
            ? `${elementCount(shape)} element${elementCount(shape) === 1 ? '' : 's'}`
            : 'not a shape this input takes'}
        </span>
        <button type="button" class="small" onClick={() => fill('zeros')}>
          {input.datatype === 'BOOL' ? 'All false' : input.datatype === 'BYTES' ? 'Clear' : 'Zeros'}
        </button>
        <button type="button" class="small" onClick={() => fill('random')}>
          Random
        </button>
      </div>
      {field.cells && shape ? (
        <div class="cells">
          {field.cells.map((value, i) =>
            input.datatype === 'BOOL' ? (
              <label key={i} class="cell bool">
                <input
                  type="checkbox"
                  checked={/^(true|1)$/i.test(value)}
                  onChange={(e) => {
                    const cells = [...field.cells!];
                    cells[i] = String(e.currentTarget.checked);
                    onChange({ ...field, cells });
                  }}
                />
                <span>{indexLabel(shape!, i)}</span>
              </label>
            ) : (
              <label key={i} class="cell">
                <span class="muted small">{indexLabel(shape!, i)}</span>
                <input
                  data-testid={`${input.name}-${i}`}
                  inputMode={input.datatype === 'BYTES' ? 'text' : 'decimal'}
                  value={value}
                  aria-label={`${input.name}${indexLabel(shape!, i)}`}
                  onInput={(e) => {
                    const cells = [...field.cells!];
                    cells[i] = e.currentTarget.value;
                    onChange({ ...field, cells });
                  }}
                />
              </label>
            ),
          )}
        </div>
      ) : (
        <>
          <label for={`${id}-values`} class="small muted">
            {input.datatype === 'BYTES'
              ? 'One string per line'
              : 'Values in row-major order, separated by spaces or commas (a JSON array works)'}
          </label>
          <textarea
            id={`${id}-values`}
            data-testid={`${input.name}-values`}
            rows={4}
            value={field.text}
            onInput={(e) => onChange({ ...field, text: e.currentTarget.value })}
          />
        </>
      )}
    </fieldset>
  );
}

function Outputs({ outputs, latencyMs, version }: { outputs: OutputView[]; latencyMs: number; version?: string }) {
  const predicted = predictions(outputs);
  return (
    <section class="card" aria-live="polite" data-testid="outputs">
      <h2>Result</h2>
      <p>
        Round trip <strong data-testid="latency">{formatMs(latencyMs)}</strong>
        {version && <> · answered by version {version}</>}
      </p>
      {predicted && (
        <p class="prediction">
          {predicted.kind === 'label' ? 'Predicted label' : 'Most probable'}:{' '}
          <strong data-testid="prediction">{predicted.rows.join(', ')}</strong>
        </p>
      )}
      {outputs.map((o) => (
        <div key={o.name} class="output">
          <h3>
            <code>{o.name}</code> <span class="muted">{o.datatype}</span>{' '}
            <span class="muted">{formatShape(o.shape)}</span>
          </h3>
          <p class="values">
            {o.values.slice(0, 64).map(formatNumber).join(', ')}
            {o.values.length > 64 && <span class="muted"> … and {o.values.length - 64} more</span>}
          </p>
          <details>
            <summary>Exact values (JSON)</summary>
            <pre data-testid={`output-${o.name}`}>{valuesJson(o.values)}</pre>
          </details>
        </div>
      ))}
    </section>
  );
}

function ModelPicker({ models, name }: { models: Model[]; name: string | undefined }) {
  return (
    <div class="row">
      <label for="pg-model">Model</label>
      <select
        id="pg-model"
        value={name ?? ''}
        onChange={(e) => navigate(href('playground', e.currentTarget.value), { replace: true })}
      >
        <option value="" disabled>
          Choose a model
        </option>
        {models.map((m) => (
          <option key={m.name} value={m.name} disabled={m.default_version === null}>
            {m.name}
            {m.default_version === null ? ' (no ready version)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PlaygroundPage({ name }: { name?: string }) {
  const models = useAsync(listAllModels, []);
  const model = models.data?.find((m) => m.name === name);
  const [version, setVersion] = useState('');
  useEffect(() => setVersion(''), [name]);
  const metadata = useAsync(
    async (signal) =>
      name ? session.client.models.metadata(name, version ? { version } : {}, { signal }) : Promise.resolve(undefined),
    [name, version],
  );
  const inputs = metadata.data?.inputs ?? [];
  const [fields, setFields] = useState<Record<string, FieldState>>({});
  const signature = inputs.map((i) => `${i.name}:${i.datatype}:${i.shape.join('x')}`).join('|');
  useEffect(() => setFields(Object.fromEntries(inputs.map((i) => [i.name, initialField(i)]))), [signature]);
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<{ outputs: OutputView[]; latencyMs: number; version?: string } | null>(null);
  const send = useAction();

  const submit = async () => {
    setFormError(null);
    let request: Record<string, InferInput>;
    try {
      request = Object.fromEntries(
        inputs.map((input) => {
          const field = fields[input.name] ?? initialField(input);
          const shape = parseShape(input, field.shapeText);
          const texts = field.cells ?? tokenize(input.datatype, field.text);
          return [input.name, toInferInput(input, shape, parseValues(input, shape, texts))];
        }),
      );
    } catch (err) {
      if (err instanceof FormError) {
        setFormError(err.message);
        return;
      }
      throw err;
    }
    const started = performance.now();
    const answer = await send.run(() =>
      session.client.models.infer(name!, { inputs: request, ...(version ? { version } : {}) }),
    );
    const latencyMs = performance.now() - started;
    if (answer) {
      const view = { outputs: answer.outputs.map(outputView), latencyMs };
      setResult(answer.modelVersion ? { ...view, version: answer.modelVersion } : view);
    }
  };

  return (
    <section>
      <h1>Playground</h1>
      <LoadState loading={models.loading && !models.data} error={models.error} />
      {models.data && <ModelPicker models={models.data} name={name} />}
      {name && models.data && !model && <ErrorView error={new Error(`There is no model named '${name}'.`)} />}
      {model && (
        <div class="row">
          <label for="pg-version">Version</label>
          <select id="pg-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            <option value="">default ({model.default_version ?? 'none ready'})</option>
            {model.versions
              .filter((v) => v.state === 'READY')
              .map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                </option>
              ))}
          </select>
          <Link to={href('models', model.name)}>Model details</Link>
        </div>
      )}
      {model?.description && <p class="muted">{model.description}</p>}
      <LoadState loading={metadata.loading && !metadata.data} error={metadata.error} />
      {metadata.data && (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2>Inputs</h2>
          {inputs.map((input) => (
            <InputField
              key={input.name}
              input={input}
              field={fields[input.name] ?? initialField(input)}
              onChange={(field) => setFields((all) => ({ ...all, [input.name]: field }))}
            />
          ))}
          {formError && (
            <p class="error" role="alert" data-testid="form-error">
              {formError}
            </p>
          )}
          <ErrorView error={send.error} title="The server refused the request" />
          <button type="submit" class="primary" disabled={send.busy}>
            {send.busy ? 'Sending…' : 'Send'}
          </button>
        </form>
      )}
      {result && <Outputs {...result} />}
    </section>
  );
}
