// `maas optimize` against a real server: uploads the evaluation data, follows the stages, prints the report table
// and the version published; bad flags exit 2 before anything is sent; a failed gate exits 1 with the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOptimize } from '../../server/cli/optimize.js';
import { capture } from '../support/cli-io.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { IRIS, readTable, trainedModel } from './support.js';

const parent = trainedModel(readTable(IRIS), {
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [32] },
  epochs: 40,
});

describe('maas optimize', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ models: { iris: parent } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('quantises to int8, shows the stages and prints the report as a table and the candidate published', async () => {
    const io = capture();
    const args = ['--model', 'iris', '--method', 'int8', '--eval-data', IRIS, '--target', 'species'];
    expect(await runOptimize([...args, '--server', server.baseUrl], io)).toBe(0);
    const err = io.err();
    expect(err).toMatch(/Uploaded .*iris\.csv: ds_\w+, 150 rows, 5 columns/);
    expect(err).toContain('int8 dynamic of iris version 1');
    for (const stage of ['evaluating parent', 'optimizing', 'evaluating candidate', 'publishing']) {
      expect(err).toContain(`stage: ${stage}`);
    }
    const out = io.out();
    expect(out).toMatch(/^\s+parent\s+candidate$/m);
    expect(out).toMatch(/^accuracy\s+\d+\.\d\d %\s+\d+\.\d\d %$/m);
    expect(out).toMatch(/^agreement\s+-\s+\d+\.\d\d %$/m);
    expect(out).toMatch(/^size bytes\s+\d+\s+\d+ \(\d\.\d{3}x\)$/m);
    expect(out).toContain('Gate (quantize_int8 defaults): passed');
    expect(out).toContain('Published iris version 2 (job_');
    expect(out).toContain("a candidate: 'maas models promote iris 2' makes it the default");
    const model = (await server.app.inject({ method: 'GET', url: '/v1/models/iris' })).json();
    expect(model.default_version).toBe('1');
  });

  it('exits 1 with the report when the candidate fails its gate', async () => {
    const io = capture();
    const args = ['--model', 'iris', '--version', '1', '--method', 'prune', '--sparsity', '0.95'];
    const gate = ['--max-accuracy-drop=-100', '--eval-data', IRIS, '--target', 'species'];
    expect(await runOptimize([...args, ...gate, '--server', server.baseUrl], io)).toBe(1);
    expect(io.out()).toContain('Gate (prune defaults): FAILED');
    expect(io.out()).toMatch(/^sparsity\s+\d+\.\d\d %\s+\d+\.\d\d %$/m);
    expect(io.err()).toMatch(/maas optimize: job_\w+ failed: gate_failed: The candidate failed its gate/);
  });

  it('exits 2 on bad flags before anything is sent, naming the flag', async () => {
    const nowhere = ['--server', 'http://127.0.0.1:9'];
    const cases: Array<[string[], RegExp]> = [
      [['--method', 'int8', '--eval-data', IRIS, '--target', 'species'], /--model is required/],
      [['--model', 'iris', '--method', 'int4', '--eval-data', IRIS, '--target', 'y'], /--method: expected one of int8/],
      [
        ['--model', 'iris', '--method', 'prune', '--sparsity', 'lots', '--eval-data', IRIS, '--target', 'y'],
        /--sparsity: expected a number, got 'lots'/,
      ],
      [
        ['--model', 'iris', '--method', 'int8', '--eval-data', '/nonexistent.csv', '--target', 'y'],
        /cannot read \/nonexistent\.csv: ENOENT/,
      ],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      expect(await runOptimize([...args, ...nowhere], io)).toBe(2);
      expect(io.err()).toMatch(message);
    }
  });
});
