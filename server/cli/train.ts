import { readFile } from 'node:fs/promises';
import type { MaasClient } from '../../src/index.js';
import type { Dataset, TrainingJob } from '../../src/types.js';
import { clientFrom, clientOptionsHelp } from './client.js';
import { checkArguments, HELP, runClientWork } from './client-command.js';
import { type CliCommand, type CliIO, EXIT, processIO, UsageError } from './command.js';
import { followJob } from './follow.js';
import type { Interrupt } from './interrupt.js';
import { parseTrainArgs, type TrainFlags, trainBody } from './train-flags.js';

const help = `Usage: maas train --data FILE --target COLUMN --model NAME [options]

Uploads FILE (CSV with a header row, or JSON Lines), trains a network on it on the server, shows the progress per
epoch and prints the model version it was deployed as. What the server chose from the data (the task, the feature
columns) and any column that looks mistyped are printed as the job's messages. Ctrl-C cancels the job (exit 130).

Required:
  --data FILE             Training data: .csv (header row) or .jsonl / .ndjson
  --target COLUMN         The column to predict
  --model NAME            Deploy the trained model as the next version of NAME

Spec (defaults as the server resolves them):
  --task TASK             classification | regression (default: classification for a string target, else
                          regression; set it for integer class labels)
  --features A,B,...      Feature columns in order (default: every other column; string columns are one-hot
                          encoded, except those with more than 50 distinct values)
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

Exit codes: 0 deployed, 1 failed (server error, job failed or cancelled), 2 bad flags (nothing uploaded),
130 interrupted (Ctrl-C).
`;

export const trainCommand: CliCommand = {
  summary: 'Train a model on a CSV/JSONL file on the server and deploy it',
  run: (args) => runTrain(args, processIO()),
};

/** `maas train`; `signal` stands in for Ctrl-C (tests). */
export async function runTrain(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const checked = await checkArguments(io, 'train', help, async () => {
    const values = parseTrainArgs(args);
    if (values.help) return HELP;
    // Every flag and file is checked before anything is sent.
    const body = trainBody(values);
    const files = {
      data: await readData(values.data!),
      validation: values['validation-data'] ? await readData(values['validation-data']) : undefined,
    };
    return { values, body, files };
  });
  if (typeof checked === 'number') return checked;
  const { values, body, files } = checked;
  const client = clientFrom(values);
  let job: TrainingJob | undefined;
  return runClientWork(
    io,
    'train',
    async (interrupt) => {
      const uploaded = await uploadAll(client, values, files, io, interrupt);
      try {
        job = await client.trainingJobs.create(
          { ...body, dataset: uploaded[0]!.id, ...(uploaded[1] ? { validation_dataset: uploaded[1].id } : {}) },
          { signal: interrupt.signal },
        );
      } catch (err) {
        await removeUploads(client, uploaded, io);
        throw err;
      }
      io.stderr.write(`Created ${job.id} (${describeSpec(job)})\n`);
      if (values.detach) {
        await printNotes(client, job, io);
        io.stdout.write(`${job.id}\n`);
        return EXIT.ok;
      }
      return followJob(client, job, io, interrupt, 'train', { cancelOnInterrupt: true });
    },
    {
      signal,
      interrupted: () =>
        job
          ? `maas train: interrupted; stopped waiting for ${job.id} (cancel requested)`
          : 'maas train: interrupted before a job was created',
    },
  );
}

async function readData(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function uploadAll(
  client: MaasClient,
  values: TrainFlags,
  files: { data: Uint8Array; validation: Uint8Array | undefined },
  io: CliIO,
  interrupt: Interrupt,
): Promise<Dataset[]> {
  const uploads: [string, Uint8Array][] = [[values.data!, files.data]];
  if (files.validation) uploads.push([values['validation-data']!, files.validation]);
  const done: Dataset[] = [];
  try {
    for (const [file, bytes] of uploads) {
      const format = /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
      const name = file.split(/[\\/]/).pop() ?? file;
      const dataset = await client.datasets.create(bytes, { format, name }, { signal: interrupt.signal });
      io.stderr.write(`Uploaded ${file}: ${dataset.id}, ${dataset.rows} rows, ${dataset.columns.length} columns\n`);
      done.push(dataset);
    }
  } catch (err) {
    await removeUploads(client, done, io);
    throw err;
  }
  return done;
}

/** A job that was never created leaves no dataset behind. */
async function removeUploads(client: MaasClient, datasets: Dataset[], io: CliIO): Promise<void> {
  for (const d of datasets) {
    try {
      await client.datasets.delete(d.id);
      io.stderr.write(`Deleted ${d.id} again (no job was created)\n`);
    } catch {
      io.stderr.write(`maas train: could not delete ${d.id}; 'DELETE /v1/datasets/${d.id}' removes it\n`);
    }
  }
}

/** With --detach, what spec resolution said (the job's message events so far) still reaches the terminal. */
async function printNotes(client: MaasClient, job: TrainingJob, io: CliIO): Promise<void> {
  const page = await client.trainingJobs.events(job.id, { limit: 100 });
  for (const e of page.data) if (e.type === 'message' && e.message) io.stderr.write(`${e.message}\n`);
}

function describeSpec(job: TrainingJob): string {
  const h = job.hyperparameters;
  const arch =
    h.architecture.type === 'mlp'
      ? `mlp ${(h.architecture.hidden_layers ?? []).join('-')} ${h.architecture.activation}`
      : h.architecture.type;
  return `${h.task}, ${arch}, ${h.optimizer.type} lr ${h.optimizer.learning_rate}, ${h.epochs} epochs, batch ${h.batch_size}, seed ${h.seed}`;
}
