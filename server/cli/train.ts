import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { APIError, MaasClient, MaasError } from '../../src/index.js';
import type { TrainingJob, TrainingJobCreateRequest, TrainingJobEvent } from '../../src/types.js';
import type { CliCommand } from './main.js';

/** Where a client command writes: stdout for results, stderr for progress and errors. Tests pass their own. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr });

/** The options every client command (train, jobs) shares. */
export const clientOptions = {
  server: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const clientOptionsHelp = `  --server URL            The MaaS server (default: MAAS_BASE_URL, else http://127.0.0.1:8000)
  --api-key KEY           Sent as Authorization: Bearer KEY (default: MAAS_API_KEY)
  -h, --help              Show this help.`;

export function clientFrom(values: { server?: string | undefined; 'api-key'?: string | undefined }): MaasClient {
  return new MaasClient({
    ...(values.server !== undefined ? { baseUrl: values.server } : {}),
    ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
  });
}

/** One readable message for an SDK error, with the first rejected rows of a dataset. */
export function describeError(err: unknown): string {
  if (err instanceof APIError) {
    const rows = (err.details ?? [])
      .slice(0, 10)
      .map((d) => `\n  ${d.line !== undefined ? `line ${d.line}: ` : ''}${d.column ? `${d.column}: ` : ''}${d.message}`)
      .join('');
    return `${err.message}${rows}`;
  }
  if (err instanceof MaasError || err instanceof Error) return err.message;
  return String(err);
}

const help = `Usage: maas train --data FILE --target COLUMN --model NAME [options]

Uploads FILE (CSV with a header row, or JSON Lines), trains a network on it on the server, shows the progress per
epoch and prints the model version it was deployed as. Ctrl-C cancels the job.

Required:
  --data FILE             Training data: .csv (header row) or .jsonl / .ndjson
  --target COLUMN         The column to predict
  --model NAME            Deploy the trained model as the next version of NAME

Spec (defaults as the server resolves them):
  --task TASK             classification | regression (default: classification for a string target, else regression)
  --features A,B,...      Feature columns in order (default: every other numeric column)
  --arch TYPE             linear | logistic | mlp (default: mlp)
  --hidden 64,64          Hidden layer sizes of an mlp (default: 64,64)
  --activation NAME       relu | tanh | sigmoid (default: relu)
  --optimizer NAME        gd | sgd | adam (default: adam)
  --lr RATE               Learning rate (default: gd 0.1, sgd 0.01, adam 0.001)
  --momentum M            sgd momentum (default: 0)
  --nesterov              sgd Nesterov momentum
  --weight-decay W        adam decoupled weight decay (default: 0)
  --loss NAME             cross_entropy | mse (default: by task)
  --epochs N              Epochs (default: 20)
  --batch-size N          Minibatch size (default: 32)
  --validation-split F    Held-out fraction, stratified for classification (default: 0.2)
  --validation-data FILE  A separate validation file instead of the split
  --patience N            Early stopping: stop after N epochs without val_loss improving
  --min-delta D           Early stopping: the improvement that counts (default: 0)
  --seed N                Seed: the same seed and data give the same model (default: random)
  --detach                Print the job id and return without waiting

Client:
${clientOptionsHelp}
`;

export const trainCommand: CliCommand = {
  summary: 'Train a model on a CSV/JSONL file on the server and deploy it',
  run: (args) => runTrain(args, processIO()),
};

class UsageError extends Error {}

export async function runTrain(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(args);
  } catch (err) {
    io.stderr.write(`maas train: ${(err as Error).message}\nRun 'maas train --help' for the options.\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const client = clientFrom(values);
  try {
    const missing = (['data', 'target', 'model'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
    const file = values.data!;
    const dataset = await upload(client, file);
    io.stderr.write(`Uploaded ${file}: ${dataset.id}, ${dataset.rows} rows, ${dataset.columns.length} columns\n`);
    const validation = values['validation-data'] ? await upload(client, values['validation-data']) : undefined;
    const targetColumn = dataset.columns.find((c) => c.name === values.target);
    const body = specFrom(values, dataset.id, validation?.id, targetColumn?.type === 'string');
    const job = await client.trainingJobs.create(body);
    io.stderr.write(`Created ${job.id} (${describeSpec(job)})\n`);
    if (values.detach) {
      io.stdout.write(`${job.id}\n`);
      return 0;
    }
    return await follow(client, job, io, signal);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`maas train: ${err.message}\nRun 'maas train --help' for the options.\n`);
      return 2;
    }
    io.stderr.write(`maas train: ${describeError(err)}\n`);
    return 1;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...clientOptions,
      data: { type: 'string' },
      target: { type: 'string' },
      model: { type: 'string' },
      task: { type: 'string' },
      features: { type: 'string' },
      arch: { type: 'string' },
      hidden: { type: 'string' },
      activation: { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      momentum: { type: 'string' },
      nesterov: { type: 'boolean' },
      'weight-decay': { type: 'string' },
      loss: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'validation-split': { type: 'string' },
      'validation-data': { type: 'string' },
      patience: { type: 'string' },
      'min-delta': { type: 'string' },
      seed: { type: 'string' },
      detach: { type: 'boolean' },
    },
  }).values;
}

async function upload(client: MaasClient, file: string) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const format = /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
  const name = file.split(/[\\/]/).pop() ?? file;
  return client.datasets.create(bytes, { format, name });
}

type Values = ReturnType<typeof parse>;

/** The create body from the flags; anything left out is resolved by the server (and shown in the job). */
export function specFrom(
  values: Values,
  dataset: string,
  validationDataset: string | undefined,
  stringTarget: boolean,
): TrainingJobCreateRequest {
  const num = (flag: keyof Values) => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
      throw new UsageError(`--${flag}: expected a number, got '${raw}'`);
    }
    return n;
  };
  const list = (flag: 'hidden' | 'features') => values[flag]?.split(',').map((s) => s.trim());
  const task = (values.task ?? (stringTarget ? 'classification' : 'regression')) as TrainingJobCreateRequest['task'];
  const arch = values.arch ?? 'mlp';
  const architecture = (
    arch === 'mlp'
      ? {
          type: 'mlp',
          ...(values.hidden !== undefined
            ? {
                hidden_layers: list('hidden')!
                  .map((s) => Number.parseInt(s, 10))
                  .map(checkSize),
              }
            : {}),
          ...(values.activation !== undefined ? { activation: values.activation } : {}),
        }
      : { type: arch }
  ) as TrainingJobCreateRequest['architecture'];
  const type = values.optimizer ?? 'adam';
  const optimizer = {
    type,
    ...(values.lr !== undefined ? { learning_rate: num('lr') } : {}),
    ...(type === 'sgd' && values.momentum !== undefined ? { momentum: num('momentum') } : {}),
    ...(type === 'sgd' && values.nesterov ? { nesterov: true } : {}),
    ...(type === 'adam' && values['weight-decay'] !== undefined ? { weight_decay: num('weight-decay') } : {}),
  } as TrainingJobCreateRequest['optimizer'];
  const body: TrainingJobCreateRequest = {
    model: values.model!,
    dataset,
    task,
    target: values.target!,
    architecture,
    optimizer,
    epochs: num('epochs') ?? 20,
  };
  if (values.features !== undefined) body.features = list('features');
  if (validationDataset !== undefined) body.validation_dataset = validationDataset;
  if (values.loss !== undefined) body.loss = values.loss as TrainingJobCreateRequest['loss'];
  const batch = num('batch-size');
  if (batch !== undefined) body.batch_size = batch;
  const split = num('validation-split');
  if (split !== undefined) body.validation_split = split;
  const patience = num('patience');
  if (patience !== undefined) {
    const minDelta = num('min-delta');
    body.early_stopping = { patience, ...(minDelta !== undefined ? { min_delta: minDelta } : {}) };
  }
  const seed = num('seed');
  if (seed !== undefined) body.seed = seed;
  return body;
}

function checkSize(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--hidden: expected sizes like 64,64, got ${n}`);
  return n;
}

function describeSpec(job: TrainingJob): string {
  const h = job.hyperparameters;
  const arch =
    h.architecture.type === 'mlp'
      ? `mlp ${(h.architecture.hidden_layers ?? []).join('-')} ${h.architecture.activation}`
      : h.architecture.type;
  return `${h.task}, ${arch}, ${h.optimizer.type} lr ${h.optimizer.learning_rate}, ${h.epochs} epochs, batch ${h.batch_size}, seed ${h.seed}`;
}

/** Follows the job to its end with a progress line per epoch; Ctrl-C (or `signal`) cancels it. */
async function follow(client: MaasClient, job: TrainingJob, io: CliIO, signal?: AbortSignal): Promise<number> {
  const progress = new Progress(io.stderr, job.hyperparameters.epochs);
  const cancel = () => {
    progress.note(`Cancelling ${job.id}...`);
    client.trainingJobs.cancel(job.id).catch(() => {});
  };
  const onSigint = () => cancel();
  process.once('SIGINT', onSigint);
  signal?.addEventListener('abort', cancel, { once: true });
  let done: TrainingJob;
  try {
    done = await client.trainingJobs.wait(job.id, { onEvent: (e) => progress.event(e) });
  } finally {
    process.removeListener('SIGINT', onSigint);
    signal?.removeEventListener('abort', cancel);
    progress.end();
  }
  if (done.status === 'succeeded' && done.result) {
    io.stdout.write(`Deployed ${done.result.model} version ${done.result.version} (${done.id})\n`);
    return 0;
  }
  const why = done.error ? `: ${done.error.code}: ${done.error.message}` : '';
  io.stderr.write(`maas train: ${done.id} ${done.status}${why}\n`);
  return 1;
}

/** A redrawn line on a TTY (epoch, bar, loss, accuracy); one plain line per epoch otherwise. */
class Progress {
  private drawn = false;
  constructor(
    private readonly out: CliIO['stderr'],
    private readonly epochs: number,
  ) {}

  event(event: TrainingJobEvent): void {
    if (event.type === 'metrics' && event.metrics) {
      const m = event.metrics;
      const width = String(this.epochs).length;
      const parts = [`epoch ${String(m.epoch).padStart(width)}/${this.epochs}`];
      if (this.out.isTTY) parts.push(bar(m.epoch / this.epochs, 20));
      parts.push(`loss ${fmt(m.train_loss)}`);
      if (m.train_accuracy !== undefined) parts.push(`acc ${fmt(m.train_accuracy)}`);
      if (m.val_loss !== undefined) parts.push(`val_loss ${fmt(m.val_loss)}`);
      if (m.val_accuracy !== undefined) parts.push(`val_acc ${fmt(m.val_accuracy)}`);
      parts.push(`${Math.round(m.samples_per_second)} samples/s`);
      const line = parts.join('  ');
      if (this.out.isTTY) {
        this.out.write(`\r${line}\x1b[K`);
        this.drawn = true;
      } else {
        this.out.write(`${line}\n`);
      }
    } else if (event.type === 'message' && event.message) {
      this.note(event.message);
    } else if (event.type === 'status' && event.status) {
      this.note(`status: ${event.status}${event.message ? ` (${event.message})` : ''}`);
    }
  }

  note(text: string): void {
    this.end();
    this.out.write(`${text}\n`);
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

function bar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? n.toFixed(0) : n.toPrecision(4);
}
