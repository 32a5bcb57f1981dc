import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobs } from '../../server/cli/jobs.js';
import { type CliIO, runTrain } from '../../server/cli/train.js';
import { startTrainingServer, type TrainingTestServer } from './support.js';

const irisPath = fileURLToPath(new URL('../../examples/iris/iris.csv', import.meta.url));

function capture(isTTY = false): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const stderr = Object.assign(
    stream((s) => (err += s)),
    { isTTY },
  );
  return { stdout: stream((s) => (out += s)), stderr, out: () => out, err: () => err };
}

describe('maas train / maas jobs', () => {
  let server: TrainingTestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTrainingServer();
    dir = mkdtempSync(join(tmpdir(), 'maas-cli-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let jobId: string;

  it('uploads, trains with a progress line per epoch, and prints the deployed version', async () => {
    const io = capture();
    const code = await runTrain(
      [
        ...['--data', irisPath, '--target', 'species', '--model', 'iris_cli', '--server', server.baseUrl],
        ...[
          '--hidden',
          '8',
          '--optimizer',
          'adam',
          '--lr',
          '0.02',
          '--epochs',
          '12',
          '--batch-size',
          '16',
          '--seed',
          '3',
        ],
      ],
      io,
    );
    expect(io.err()).not.toContain('maas train:');
    expect(code).toBe(0);
    const out = io.out();
    const match = /^Deployed iris_cli version 1 \((job_[0-9A-Z]+)\)\n$/.exec(out);
    expect(match, out).not.toBeNull();
    jobId = match![1]!;
    const err = io.err();
    expect(err).toMatch(/^Uploaded .*iris\.csv: ds_\w+, 150 rows, 5 columns$/m);
    expect(err).toContain(`Created ${jobId} (classification, mlp 8 relu, adam lr 0.02, 12 epochs, batch 16, seed 3)`);
    const epochLines = err.split('\n').filter((l) => /^epoch +\d+\/12 /.test(l));
    expect(epochLines).toHaveLength(12);
    expect(epochLines[11]).toMatch(
      /^epoch 12\/12 {2}loss \S+ {2}acc \S+ {2}val_loss \S+ {2}val_acc \S+ {2}\d+ samples\/s$/,
    );
    expect(err).toContain('status: succeeded');
  });

  it('draws one redrawn progress line on a TTY', async () => {
    const tty = capture(true);
    expect(
      await runTrain(
        [
          ...['--data', irisPath, '--target', 'species', '--model', 'iris_tty', '--epochs', '3', '--arch', 'logistic'],
          ...['--server', server.baseUrl],
        ],
        tty,
      ),
    ).toBe(0);
    expect(tty.err()).toMatch(/\repoch 3\/3 {2}\[#{20}\] {2}loss /);
    expect(tty.err()).toContain('\x1b[K');
  });

  it('lists, shows and refuses to cancel an ended job', async () => {
    const list = capture();
    expect(await runJobs(['list', '--server', server.baseUrl], list)).toBe(0);
    expect(list.out()).toMatch(/^ID +STATUS +MODEL +EPOCH +LOSS +RESULT +CREATED$/m);
    expect(list.out()).toMatch(new RegExp(`^${jobId} +succeeded +iris_cli +12/12 +\\S+ +v1 `, 'm'));

    const show = capture();
    expect(await runJobs(['show', jobId, '--server', server.baseUrl], show)).toBe(0);
    expect(show.out()).toContain(`${jobId}  succeeded`);
    expect(show.out()).toMatch(
      /^task {8}classification: species from sepal_length, sepal_width, petal_length, petal_width$/m,
    );
    expect(show.out()).toMatch(/^result {6}iris_cli version 1$/m);

    const json = capture();
    expect(await runJobs(['show', jobId, '--json', '--server', server.baseUrl], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ id: jobId, status: 'succeeded' });

    const cancel = capture();
    expect(await runJobs(['cancel', jobId, '--server', server.baseUrl], cancel)).toBe(1);
    expect(cancel.err()).toContain('409 invalid_job_state');
  });

  it('reports usage errors (exit 2) and rejected data with its rows (exit 1)', async () => {
    const missing = capture();
    expect(await runTrain(['--data', irisPath], missing)).toBe(2);
    expect(missing.err()).toContain('maas train: missing --target, --model');

    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, 'a,b\n1,2\n3\n');
    const bad = capture();
    expect(await runTrain(['--data', badFile, '--target', 'b', '--model', 'm', '--server', server.baseUrl], bad)).toBe(
      1,
    );
    expect(bad.err()).toContain('422 dataset_invalid: Dataset has 1 invalid row');
    expect(bad.err()).toContain('line 3: b: expected 2 fields, got 1');

    const jobsUsage = capture();
    expect(await runJobs(['show'], jobsUsage)).toBe(2);
    expect(jobsUsage.err()).toContain('usage: maas jobs show ID');
  });
});
