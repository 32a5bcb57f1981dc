// The training spec's shared rules (src/protocol/training-spec.ts): every problem at once, the defaults (once, for
// the API and the trainer alike), and the notes about what was chosen from the data. Then: the server and the msw
// mock answer the same bodies with the same errors, since both run this code.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSpec } from '../../server/training/spec.js';
import { ContractError } from '../../src/protocol/contract-error.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import { describeColumns } from '../../src/protocol/datasets/table.js';
import {
  checkCreateBody,
  type DatasetFacts,
  resolveArchitecture,
  resolveHyperparameters,
  resolveOptimizer,
  SPEC_DEFAULTS,
} from '../../src/protocol/training-spec.js';
import { startTrainingServer, type TrainingTestServer } from '../jobs/support.js';
import { BASE, useMock } from '../msw/harness.js';

function facts(csv: string): DatasetFacts {
  const parsed = parseDataset(new TextEncoder().encode(csv), 'csv');
  if (!parsed.ok) throw new Error(parsed.summary);
  return {
    dataset: {
      id: 'ds_test',
      object: 'dataset',
      name: null,
      format: 'csv',
      rows: parsed.table.rows,
      columns: describeColumns(parsed.table),
      bytes: csv.length,
      created_at: new Date(0).toISOString(),
    },
    stats: parsed.stats,
  };
}

function rejection(fn: () => unknown): Pick<ContractError, 'status' | 'code' | 'message' | 'details'> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractError)
      return { status: err.status, code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected a rejection');
}

const resolve = (body: Record<string, unknown>, data: DatasetFacts, validation: DatasetFacts | null = null) =>
  resolveHyperparameters(checkCreateBody({ model: 'm', dataset: 'ds_test', ...body }), data, validation, () => 42);

// Digits-like: an integer label, two numeric features, a color, and an id with a distinct value per row.
const DIGITS = `f0,f1,color,id,label\n${Array.from(
  { length: 60 },
  (_, i) => `${i % 7},${(i * 3) % 11},${['red', 'blue'][i % 2]},id${i},${i % 10}`,
).join('\n')}\n`;

describe('checkCreateBody: the shape, every problem at once (400 invalid_input)', () => {
  it('lists each bad field in details, and all of them in the message', () => {
    const error = rejection(() =>
      checkCreateBody({
        model: 'bad name',
        dataset: 'ds_1',
        target: 'y',
        epochs: 'ten',
        architecture: { type: 'mlp', hidden_layers: [0, 8], activation: 'elu' },
        optimizer: { type: 'rmsprop' },
        early_stopping: { patience: 0, wait: 3 },
        colour: 'red',
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual([
      {
        field: 'colour',
        message:
          'unknown field; expected one of model, dataset, validation_dataset, task, target, features, architecture, optimizer, loss, epochs, batch_size, validation_split, early_stopping, seed, promote',
      },
      { field: 'model', message: "expected a name matching ^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$, got 'bad name'" },
      { field: 'architecture.hidden_layers[0]', message: 'expected an integer from 1 to 4096, got 0' },
      { field: 'architecture.activation', message: "expected one of relu, tanh, sigmoid, got 'elu'" },
      { field: 'optimizer.type', message: "expected one of gd, sgd, adam, got 'rmsprop'" },
      { field: 'epochs', message: "expected an integer from 1 to 100000, got 'ten'" },
      { field: 'early_stopping.wait', message: 'unknown field; expected one of patience, min_delta' },
      { field: 'early_stopping.patience', message: 'expected an integer from 1 to 10000, got 0' },
    ]);
    expect(error.message).toBe(error.details!.map((d) => `${d.field}: ${d.message}`).join('; '));
  });

  it('keeps the one-problem message as it was', () => {
    expect(rejection(() => checkCreateBody([]))).toMatchObject({
      status: 400,
      message: 'body: expected an object, got an array of 0',
      details: [{ field: 'body', message: 'expected an object, got an array of 0' }],
    });
    expect(rejection(() => checkCreateBody({ model: 'm', dataset: 'd' })).message).toBe(
      'target: expected a non-empty string, got nothing',
    );
  });

  it('needs only model, dataset and target: task, architecture, optimizer and epochs are optional', () => {
    expect(checkCreateBody({ model: 'm', dataset: 'd', target: 'y' })).toEqual({
      model: 'm',
      dataset: 'd',
      target: 'y',
    });
  });
});

describe('resolveHyperparameters: the defaults, and what the data decided', () => {
  it('fills every field the CLI help calls optional; an integer label defaults to regression, and says how to change it', () => {
    const { hyperparameters, notes } = resolve({ target: 'label', features: ['f0', 'f1'] }, facts(DIGITS));
    expect(hyperparameters).toEqual({
      task: 'regression',
      target: 'label',
      features: ['f0', 'f1'],
      architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
      loss: 'mse',
      epochs: 20,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
      seed: 42,
    });
    expect(notes).toEqual([
      "task: not given; regression, because the target 'label' is a number column. Its values are 10 distinct whole " +
        'numbers: if they are classes, set task: classification (maas train --task classification)',
    ]);
  });

  it('uses string columns as features by default, and names the one it leaves out', () => {
    const { hyperparameters, notes } = resolve({ target: 'label', task: 'classification' }, facts(DIGITS));
    expect(hyperparameters.features).toEqual(['f0', 'f1', 'color']);
    expect(hyperparameters.loss).toBe('cross_entropy');
    expect(notes).toEqual([
      "features: left out string column 'id': it has 60 distinct values, more than the 50 a default one-hot encoding takes; list it in features to encode it anyway",
    ]);
    // Listed explicitly, it is encoded (60 categories).
    expect(resolve({ target: 'label', task: 'classification', features: ['id'] }, facts(DIGITS)).notes).toEqual([]);
  });

  it('names a numeric column demoted to strings by stray text, with the line and the fix', () => {
    const csv = `x,y\n1,1.5\n2,2.5\n3,abc\n4,4.5\n5,n/a\n`;
    const { notes } = resolve({ target: 'x', task: 'classification' }, facts(csv));
    expect(notes).toEqual([
      "features: column 'y' is read as text, not numbers: line 4 has 'abc' and 1 more cell that are not numbers, " +
        'while 3 other cells are numbers. If it is numeric, fix those cells (leave a cell empty for a missing value) ' +
        'and upload the data again; as it is, it is one-hot encoded as categories',
    ]);
    const asTarget = rejection(() =>
      resolve({ target: 'y', task: 'regression', architecture: { type: 'linear' } }, facts(csv)),
    );
    expect(asTarget.message).toBe(
      "target: column 'y' is a string column; regression needs a number column (column 'y' is read as text, not " +
        "numbers: line 4 has 'abc' and 1 more cell that are not numbers, while 3 other cells are numbers. If it is " +
        'numeric, fix those cells (leave a cell empty for a missing value) and upload the data again)',
    );
  });

  it('reports every problem against the data at once (422 training_spec_invalid)', () => {
    const error = rejection(() =>
      resolve(
        {
          target: 'f0',
          task: 'regression',
          features: ['nope', 'f0', 'f1', 'f1'],
          loss: 'cross_entropy',
          architecture: { type: 'logistic' },
          optimizer: { type: 'sgd', nesterov: true },
        },
        facts(DIGITS),
      ),
    );
    expect(error).toMatchObject({ status: 422, code: 'training_spec_invalid' });
    expect(error.details).toEqual([
      { field: 'features[0]', message: "column 'nope' is not in the dataset; columns are f0, f1, color, id, label" },
      { field: 'features[1]', message: "column 'f0' is the target" },
      { field: 'features[3]', message: "column 'f1' is listed twice" },
      { field: 'loss', message: 'cross_entropy needs task classification' },
      {
        field: 'architecture.type',
        message: 'logistic is softmax regression for classification; use linear or mlp for regression',
      },
      { field: 'optimizer.nesterov', message: 'needs momentum > 0' },
    ]);
  });

  it('refuses a string feature named like a model output, and a validation set whose column types differ', () => {
    const csv = 'label,kind,y\nx,a,1\ny,b,2\nx,a,3\n';
    const error = rejection(() => resolve({ target: 'y', task: 'regression' }, facts(csv)));
    expect(error.details).toEqual([
      {
        field: 'features',
        message:
          "column 'label' would be an input of the model (a model with a string feature takes one input per column) named like one of its outputs (probabilities, label, value); rename the column",
      },
    ]);
    const validation = rejection(() =>
      resolve(
        { target: 'y', task: 'regression', features: ['kind'], validation_dataset: 'ds_v' },
        facts(csv),
        facts('kind,y\n1,2\n'),
      ),
    );
    expect(validation.details).toEqual([
      {
        field: 'validation_dataset',
        message: "column 'kind' is a number column there but a string (category) column in the dataset",
      },
    ]);
  });

  it('is the one default table: the trainer fills a direct caller’s omissions from it', () => {
    const resolved = resolveSpec({ task: 'classification' }, 3);
    expect(resolved.architecture).toEqual({ ...resolveArchitecture(undefined), type: 'mlp' });
    expect(resolved.optimizer).toEqual(resolveOptimizer(undefined));
    expect(resolved).toMatchObject({
      epochs: SPEC_DEFAULTS.epochs,
      batch_size: SPEC_DEFAULTS.batch_size,
      validation_split: SPEC_DEFAULTS.validation_split,
      loss: 'cross_entropy',
    });
    expect(resolveSpec({ task: 'regression', optimizer: { type: 'sgd' } }, 1).optimizer).toEqual({
      type: 'sgd',
      learning_rate: SPEC_DEFAULTS.learning_rate.sgd,
      momentum: 0,
      nesterov: false,
    });
  });
});

describe('the server and the msw mock reject the same bodies with the same error bodies', () => {
  let server: TrainingTestServer;
  useMock({ clock: false });
  beforeAll(async () => {
    server = await startTrainingServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  // msw intercepts the global fetch (so it reaches the mock); undici's request goes to the real server.
  type Post = (path: string, type: string, body: string) => Promise<Record<string, unknown>>;
  const toServer: Post = async (path, type, body) => {
    const res = await request(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    return { status: res.statusCode, ...((await res.body.json()) as object) };
  };
  const toMock: Post = async (path, type, body) => {
    const res = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    return { status: res.status, ...((await res.json()) as object) };
  };
  const withoutIds = ({ request_id: _, ...rest }: Record<string, unknown>) => rest;

  it('400s and 422s list the same problems, in the same order', async () => {
    const shape = JSON.stringify({
      model: 'm',
      dataset: 'ds_x',
      target: 'y',
      epochs: 0,
      optimizer: { type: 'adam', lr: 1 },
    });
    const [real400, mock400] = await Promise.all(
      [toServer, toMock].map((post) => post('/v1/training-jobs', 'application/json', shape)),
    );
    expect(withoutIds(mock400!)).toEqual(withoutIds(real400!));
    expect(real400).toMatchObject({
      status: 400,
      code: 'invalid_input',
      details: [
        {
          field: 'optimizer.lr',
          message: 'unknown field; expected one of type, learning_rate, beta1, beta2, epsilon, weight_decay',
        },
        { field: 'epochs', message: 'expected an integer from 1 to 100000, got 0' },
      ],
    });

    const rejected = async (post: Post) => {
      const dataset = (await post('/v1/datasets', 'text/csv', DIGITS)).id as string;
      const body = { model: 'm', dataset, target: 'label', task: 'classification', features: ['f0', 'zz', 'label'] };
      return withoutIds(await post('/v1/training-jobs', 'application/json', JSON.stringify(body)));
    };
    const [real422, mock422] = [await rejected(toServer), await rejected(toMock)];
    expect(mock422).toEqual(real422);
    expect(real422).toMatchObject({
      status: 422,
      code: 'training_spec_invalid',
      details: [
        { field: 'features[1]', message: "column 'zz' is not in the dataset; columns are f0, f1, color, id, label" },
        { field: 'features[2]', message: "column 'label' is the target" },
      ],
    });
  });
});
