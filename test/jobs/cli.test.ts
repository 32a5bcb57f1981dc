import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobs } from '../../server/cli/jobs.js';
import { runTrain } from '../../server/cli/train.js';
import { MaasClient } from '../../src/index.js';
import { type CliRun, collect, repoRoot, runCli, spawnCli } from '../support/cli.js';
import { capture } from '../support/cli-io.js';
import { startTrainingServer, type TrainingTestServer } from './support.js';

const irisPath = fileURLToPath(new URL('../../examples/iris/iris.csv', import.meta.url));
/** Nothing listens here: a command that reaches for the server fails (exit 1) instead of exiting 2. */
const NOWHERE = 'http://127.0.0.1:9';

/** Resolves once the child's stderr matches (rejects if it exits first). */
function stderrMatch(child: ReturnType<typeof spawnCli>, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const onData = (d: Buffer) => {
      err += d.toString();
      if (!pattern.test(err)) return;
      child.stderr?.off('data', onData);
      resolve();
    };
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}:\n${err}`)));
  });
}

/** Wide enough that an epoch of iris at batch 1 takes a while: a long job that does not flood its event log. */
const SLOW = ['--hidden', '256,256', '--epochs', '100000', '--batch-size', '1'];

describe('server/cli has no import cycle', () => {
  it('every module of server/cli imports (statically or lazily) only modules that do not import it back', () => {
    const dir = join(repoRoot, 'server/cli');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    const edges = new Map(
      files.map((f) => {
        const text = readFileSync(join(dir, f), 'utf8');
        const targets = [...text.matchAll(/(?:from |import\()'\.\/([\w-]+)\.js'/g)].map((m) => `${m[1]}.ts`);
        return [f, targets];
      }),
    );
    expect(edges.get('main.ts')).toEqual(expect.arrayContaining(['serve.ts', 'train.ts', 'jobs.ts']));
    const cycle = (start: string): string[] | null => {
      const walk = (node: string, path: string[]): string[] | null => {
        for (const next of edges.get(node) ?? []) {
          if (next === start) return [...path, next];
          if (!path.includes(next)) {
            const found = walk(next, [...path, next]);
            if (found) return found;
          }
        }
        return null;
      };
      return walk(start, [start]);
    };
    for (const f of files) expect(cycle(f), `import cycle through ${f}`).toBeNull();
  });
});

describe('usage errors exit 2 before anything is sent (the CLI spawned)', () => {
  it('exits 2 for a missing or unknown command, flag or value, naming it', async () => {
    const runs = await Promise.all([
      runCli([]),
      runCli(['frob']),
      runCli(['train', '--server', NOWHERE]),
      runCli(['train', '--bogus']),
      runCli([
        'train',
        '--data',
        irisPath,
        '--target',
        'species',
        '--model',
        'm',
        '--epochs',
        'abc',
        '--server',
        NOWHERE,
      ]),
      runCli([
        'train',
        '--data',
        irisPath,
        '--target',
        'species',
        '--model',
        'm',
        '--momentum',
        '0.9',
        '--server',
        NOWHERE,
      ]),
      runCli(['train', '--data', 'no/such.csv', '--target', 'y', '--model', 'm', '--server', NOWHERE]),
      runCli(['jobs', '--server', NOWHERE]),
      runCli(['jobs', 'list', '--limit', 'abc', '--server', NOWHERE]),
      runCli(['jobs', 'list', '--status', 'paused', '--server', NOWHERE]),
      runCli(['jobs', 'show', '--server', NOWHERE]),
      runCli(['jobs', 'frob', '--server', NOWHERE]),
    ]);
    const summary = (r: CliRun) => [r.code, r.stderr.split('\n')[0]];
    expect(runs.map(summary)).toEqual([
      [2, 'maas: expected a command'],
      [2, "maas: unknown command 'frob'"],
      [2, 'maas train: missing --data, --target, --model'],
      [2, expect.stringContaining("maas train: Unknown option '--bogus'")],
      [2, "maas train: --epochs: expected a number, got 'abc'"],
      [2, 'maas train: --momentum: does not apply to --optimizer adam'],
      [2, 'maas train: cannot read no/such.csv: ENOENT'],
      [2, 'maas jobs: expected an action: list, show ID, follow ID or cancel ID'],
      [2, "maas jobs: --limit: expected an integer from 1 to 100, got 'abc'"],
      [2, "maas jobs: --status: expected one of queued, running, succeeded, failed, cancelled, got 'paused'"],
      [2, 'maas jobs: usage: maas jobs show ID'],
      [2, "maas jobs: unknown action 'frob'; expected list, show, follow or cancel"],
    ]);
    for (const r of runs.slice(2)) expect(r.stderr).toMatch(/Run 'maas (train|jobs) --help' for the options\./);
  });
});

describe('maas train / maas jobs against a real server', () => {
  let server: TrainingTestServer;
  let client: MaasClient;
  let dir: string;
  beforeAll(async () => {
    server = await startTrainingServer();
    client = new MaasClient({ baseUrl: server.baseUrl, apiKey: null });
    dir = mkdtempSync(join(tmpdir(), 'maas-cli-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const datasetCount = async () => (await client.datasets.list({ limit: 100 })).data.length;

  let jobId: string;

  it('uploads, trains with a progress line per epoch, and prints the deployed version once', async () => {
    const io = capture();
    const code = await runTrain(
      [
        ...['--data', irisPath, '--target', 'species', '--model', 'iris_cli', '--server', server.baseUrl],
        ...['--hidden', '8', '--optimizer', 'adam', '--lr', '0.02', '--epochs', '12', '--batch-size', '16'],
        ...['--seed', '3'],
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
    expect(`${out}${err}`.match(/Deployed/g)).toHaveLength(1);
    expect(err).toMatch(/^Uploaded .*iris\.csv: ds_\w+, 150 rows, 5 columns$/m);
    expect(err).toContain(`Created ${jobId} (classification, mlp 8 relu, adam lr 0.02, 12 epochs, batch 16, seed 3)`);
    // No --task: the server chose it, and the CLI shows the job's message saying so.
    expect(err).toContain("task: not given; classification, because the target 'species' is a string column");
    expect(err).toMatch(/^Training mlp relu 4 → 8 → 3 with adam .* \((wasm-simd|js) kernels\)$/m);
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

  it('says when an integer label became a regression target, and where stray text made a column a string', async () => {
    const file = join(dir, 'digits-like.csv');
    const lines = Array.from({ length: 40 }, (_, i) => `${i === 9 ? 'abc' : i % 5},${(i * 3) % 7},${i % 4}`);
    writeFileSync(file, `a,b,label\n${lines.join('\n')}\n`);
    const io = capture();
    const args = ['--data', file, '--target', 'label', '--model', 'guess', '--epochs', '1', '--detach'];
    expect(await runTrain([...args, '--server', server.baseUrl], io)).toBe(0);
    const err = io.err();
    expect(err).toContain(
      "task: not given; regression, because the target 'label' is a number column. Its values are 4 distinct whole " +
        'numbers: if they are classes, set task: classification (maas train --task classification)',
    );
    expect(err).toContain(
      "features: column 'a' is read as text, not numbers: line 11 has 'abc', while 39 other cells are numbers. If it " +
        'is numeric, fix that cell (leave a cell empty for a missing value) and upload the data again',
    );
    expect(io.out()).toMatch(/^job_\w+\n$/);
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

    const followed = capture();
    expect(await runJobs(['follow', jobId, '--server', server.baseUrl], followed)).toBe(0);
    expect(followed.out()).toBe(`Deployed iris_cli version 1 (${jobId})\n`);

    const cancel = capture();
    expect(await runJobs(['cancel', jobId, '--server', server.baseUrl], cancel)).toBe(1);
    expect(cancel.err()).toContain('409 invalid_job_state');
  });

  it('checks every flag before uploading: a bad one leaves no dataset behind', async () => {
    const before = await datasetCount();
    const io = capture();
    const args = ['--data', irisPath, '--target', 'species', '--model', 'm', '--server', server.baseUrl];
    expect(await runTrain([...args, '--epochs', 'abc', '--lr=-1', '--hidden', '8,x'], io)).toBe(2);
    expect(io.err()).toBe(
      'maas train: 2 problems with the flags:\n' +
        "  --hidden: expected sizes like 64,64, got '8,x'\n" +
        "  --epochs: expected a number, got 'abc'\n" +
        "Run 'maas train --help' for the options.\n",
    );
    // Numbers, but out of range: the server's own shape rules, checked here first, all at once.
    const range = capture();
    expect(await runTrain([...args, '--epochs', '0', '--lr=-1', '--validation-split', '1'], range)).toBe(2);
    expect(range.err()).toBe(
      'maas train: 3 problems with the flags:\n' +
        '  --lr: expected a number > 0 and <= 10, got -1\n' +
        '  --epochs: expected an integer from 1 to 100000, got 0\n' +
        '  --validation-split: expected a number >= 0 and < 1, got 1\n' +
        "Run 'maas train --help' for the options.\n",
    );
    expect(await datasetCount()).toBe(before);

    // A spec the server rejects against the data: every problem shown, and the upload removed again.
    const rejected = capture();
    expect(await runTrain([...args, '--features', 'nope,species', '--task', 'regression'], rejected)).toBe(1);
    expect(rejected.err()).toContain('maas train: 422 training_spec_invalid: 3 problems');
    expect(rejected.err()).toContain("  target: column 'species' is a string column; regression needs a number column");
    expect(rejected.err()).toContain("  features[0]: column 'nope' is not in the dataset;");
    expect(rejected.err()).toContain("  features[1]: column 'species' is the target");
    expect(rejected.err()).toMatch(/^Deleted ds_\w+ again \(no job was created\)$/m);
    expect(await datasetCount()).toBe(before);
  });

  it('reports rejected data with its rows (exit 1)', async () => {
    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, 'a,b\n1,2\n3\n');
    const bad = capture();
    expect(await runTrain(['--data', badFile, '--target', 'b', '--model', 'm', '--server', server.baseUrl], bad)).toBe(
      1,
    );
    expect(bad.err()).toContain('422 dataset_invalid: Dataset has 1 invalid row');
    expect(bad.err()).toContain('line 3: b: expected 2 fields, got 1');
  });

  it('Ctrl-C during `maas train` cancels the job and exits 130', async () => {
    const child = spawnCli([
      ...['train', '--data', irisPath, '--target', 'species', '--model', 'iris_sigint', ...SLOW],
      ...['--server', server.baseUrl],
    ]);
    const done = collect(child);
    await stderrMatch(child, /^epoch +1\/100000 /m);
    child.kill('SIGINT');
    const run = await done;
    expect(run.stderr).toMatch(/^Cancelling job_\w+ \(Ctrl-C again to stop waiting\)\.\.\.$/m);
    expect(run.stderr).toContain('status: cancelled');
    expect([run.code, run.signal]).toEqual([130, null]);
    const id = /Created (job_\w+)/.exec(run.stderr)![1]!;
    expect((await client.trainingJobs.retrieve(id)).status).toBe('cancelled');
  });

  it('Ctrl-C during `maas jobs follow` stops following (exit 130); the job keeps running', async () => {
    const dataset = (await client.datasets.create(readFileSync(irisPath), { format: 'csv' })).id;
    const job = await client.trainingJobs.create({
      model: 'iris_follow',
      dataset,
      target: 'species',
      architecture: { type: 'mlp', hidden_layers: [256, 256] },
      epochs: 100000,
      batch_size: 1,
    });
    const child = spawnCli(['jobs', 'follow', job.id, '--server', server.baseUrl]);
    const done = collect(child);
    await stderrMatch(child, /^epoch +\d+\/100000 /m);
    child.kill('SIGINT');
    const run = await done;
    expect([run.code, run.signal]).toEqual([130, null]);
    expect(run.stderr).toContain(
      `maas jobs: stopped following ${job.id}; it keeps running ('maas jobs cancel ${job.id}' stops it)`,
    );
    expect((await client.trainingJobs.retrieve(job.id)).status).toBe('running');
    await client.trainingJobs.cancel(job.id);
    expect((await client.trainingJobs.wait(job.id)).status).toBe('cancelled');
  });
});
