import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../server/cli/models.js';
import { runPredict } from '../../server/cli/predict.js';
import { MaasClient } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { capture } from '../support/cli-io.js';
import { addModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const irisCsv = join(examples, 'iris', 'iris.csv');
const FEATURES = 'sepal_length,sepal_width,petal_length,petal_width';

let server: TestServer;
let client: MaasClient;
let temp: string;
const at = () => ['--server', server.baseUrl];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'maas-cli-models-'));
  server = await startTestServer({ models: { adder: addModel('FP32', [-1, 4]) } });
  const iris = join(server.modelRepository, 'iris_classifier');
  mkdirSync(join(iris, '1'), { recursive: true });
  copyFileSync(join(examples, 'models', 'iris_classifier', '1', 'model.onnx'), join(iris, '1', 'model.onnx'));
  client = new MaasClient({ baseUrl: server.baseUrl });
  await server.registry.refresh();
});
afterAll(async () => {
  await server?.close();
  rmSync(temp, { recursive: true, force: true });
});

async function models(...args: string[]) {
  const io = capture();
  const code = await runModels([...args, ...at()], io);
  return { code, out: io.out(), err: io.err() };
}

async function predict(...args: string[]) {
  const io = capture();
  const code = await runPredict([...args, ...at()], io);
  return { code, out: io.out(), err: io.err() };
}

describe('maas models', () => {
  it('lists the models with their versions and routing', async () => {
    const { code, out } = await models('list');
    expect(code).toBe(0);
    expect(out).toMatch(/^MODEL\s+VERSIONS\s+READY\s+DEFAULT\s+LABELS\s+ROUTING/);
    expect(out).toMatch(/\nadder\s+1\s+1\s+1\s+-\s+-\n/);
    expect(out).toMatch(/\niris_classifier\s+1\s+1\s+1\s+-\s+-\n/);
  });

  it('uploads a version, promotes it, labels, splits and shadows, as the API then reports', async () => {
    const file = join(temp, 'adder.onnx');
    writeFileSync(file, addModel('FP32', [-1, 4]));
    const up = await models('upload', 'adder', file, '--description', 'second');
    expect(up.code).toBe(0);
    expect(up.out).toBe('adder version 2: READY\n');

    const promote = await models('promote', 'adder', '1', '--reason', 'hold on 1');
    expect(promote.err).toBe('');
    expect(promote.code).toBe(0);
    expect(promote.out).toContain('adder: version 1 is the default');
    let model = await client.models.retrieve('adder');
    expect(model.pinned_version).toBe('1');
    expect(model.default_version).toBe('1');

    expect((await models('label', 'adder', 'stable=1', 'canary=2')).code).toBe(0);
    expect((await models('traffic', 'adder', '1=90', '2=10', '--max-error-rate', '0.05')).code).toBe(0);
    expect((await models('shadow', 'adder', '2', '--fraction', '0.5')).code).toBe(0);
    model = await client.models.retrieve('adder');
    expect(model.labels).toEqual({ stable: '1', canary: '2' });
    expect(model.traffic).toEqual([
      { version: '1', weight: 90 },
      { version: '2', weight: 10 },
    ]);
    expect(model.rollback?.max_error_rate).toBe(0.05);
    expect(model.shadow).toEqual({ version: '2', fraction: 0.5 });

    const show = await models('show', 'adder');
    expect(show.code).toBe(0);
    expect(show.out).toContain('labels stable=v1 canary=v2');
    expect(show.out).toContain('split v1:90 v2:10');
    expect(show.out).toMatch(/\n2\s+READY\s+\d+ B\s+upload/);
    expect(show.out).toMatch(/shadow v2: 0 mirrored, 0 dropped, 0 failed/);

    const json = await models('show', 'adder', '--json');
    expect(JSON.parse(json.out).shadow_report.version).toBe('2');

    expect((await models('traffic', 'adder', '--clear')).code).toBe(0);
    expect((await models('shadow', 'adder', '--clear')).code).toBe(0);
    expect((await models('label', 'adder', 'canary=')).code).toBe(0);
    expect((await models('unpin', 'adder')).code).toBe(0);
    model = await client.models.retrieve('adder');
    expect(model).toMatchObject({ pinned_version: null, default_version: '2', traffic: null, shadow: null });
    expect(model.labels).toEqual({ stable: '1' });

    const events = await models('events', 'adder');
    expect(events.code).toBe(0);
    expect(events.out).toContain('hold on 1');

    const del = await models('delete', 'adder', '2');
    expect(del.code).toBe(0);
    expect(del.out).toBe('adder version 2 deleted\n');
    expect((await client.models.retrieve('adder')).versions.map((v) => v.version)).toEqual(['1']);
  });

  it('exits 2 on bad arguments before sending anything, 1 on a server refusal', async () => {
    const bad = await models('traffic', 'adder', '1=lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("1=: expected a number from 0 to 1000000, got 'lots'");
    const action = await models('frob');
    expect(action.code).toBe(2);
    expect(action.err).toContain("unknown action 'frob'; expected one of list, show, upload");
    const version = await models('promote', 'adder', 'latest');
    expect(version.code).toBe(2);
    expect(version.err).toContain("VERSION: expected a version such as 3, got 'latest'");
    const missing = await models('promote', 'adder', '9');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^maas models: 422 version_not_found: default_version: model 'adder' has no version 9; its versions are 1 /,
    );
    const unknown = await models('show', 'adderr');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("404 model_not_found: Model 'adderr' not found. Did you mean 'adder'?");
  });
});

describe('maas predict', () => {
  it('predicts the rows of a CSV file with the columns the model takes', async () => {
    const { code, out, err } = await predict('iris_classifier', '--data', irisCsv, '--features', FEATURES);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ROW\s+PROBABILITIES\s+LABEL$/);
    expect(lines).toHaveLength(151);
    // The first iris rows are setosa: the label is the argmax of the probabilities, as the API answers.
    const direct = await client.models.predict('iris_classifier', { instances: [[5.1, 3.5, 1.4, 0.2]] });
    const first = direct.predictions[0] as { label: unknown };
    expect(lines[1]).toMatch(new RegExp(`^1\\s+\\[.*\\]\\s+${String(first.label)}$`));
  });

  it('writes CSV and JSON, in batches, equal to one direct predict', async () => {
    const json = await predict(
      'iris_classifier',
      '--data',
      irisCsv,
      '--features',
      FEATURES,
      '--format',
      'json',
      '--batch',
      '7',
    );
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as unknown[];
    expect(rows).toHaveLength(150);
    const direct = await client.models.predict('iris_classifier', {
      instances: [
        [5.1, 3.5, 1.4, 0.2],
        [6.3, 3.3, 6.0, 2.5],
      ],
    });
    expect(rows[0]).toEqual(direct.predictions[0]);
    expect(rows[100]).toEqual(direct.predictions[1]); // line 102 of iris.csv is 6.3,3.3,6.0,2.5
    const pairs = JSON.stringify([
      { a: [1, 2, 3, 4], b: [1, 1, 1, 1] },
      { a: [0.5, 0, 0, -1], b: [0, 0, 0, 1] },
    ]);
    const csv = await predict('adder', '--instances', pairs, '--format', 'csv');
    expect(csv.err).toBe('');
    expect(csv.out).toBe('row,prediction\n1,2;3;4;5\n2,0.5;0;0;0\n');
  });

  it('names the columns when the file does not fit the model, and exits 2', async () => {
    const wide = await predict('iris_classifier', '--data', irisCsv);
    expect(wide.code).toBe(2);
    expect(wide.err).toContain(
      "model 'iris_classifier' takes 4 values per row; the file has 5 columns (sepal_length, sepal_width, petal_length, petal_width, species): choose them with --features",
    );
    const typo = await predict('iris_classifier', '--data', irisCsv, '--features', 'sepal_len');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("--features: no column 'sepal_len'; the file has sepal_length");
    const both = await predict('adder', '--data', irisCsv, '--instances', '[[1]]');
    expect(both.code).toBe(2);
    expect(both.err).toContain('give exactly one of --data FILE or --instances JSON');
    const format = await predict('adder', '--instances', '[[1,2,3,4]]', '--format', 'xml');
    expect(format.err).toContain("--format: expected table, csv or json, got 'xml'");
    const refused = await predict('adder', '--instances', JSON.stringify([{ a: [1, 2, 3], b: [1, 2, 3] }]));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^maas predict: 4\d\d /);
  });
});

describe('maas --help', () => {
  it('lists models and predict', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/\n\s+models\s+List, show, upload, delete models/);
    expect(help.stdout).toMatch(/\n\s+predict\s+Predict rows of a CSV\/JSONL file/);
  });
});
