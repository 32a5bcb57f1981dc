import { parseArgs } from 'node:util';
import type { TrainingJob, TrainingJobStatus } from '../../src/types.js';
import type { CliCommand } from './main.js';
import { type CliIO, clientFrom, clientOptions, clientOptionsHelp, describeError, processIO } from './train.js';

const help = `Usage: maas jobs <list | show ID | cancel ID> [options]

  list                    Training jobs, newest first
    --status STATUS       Only queued | running | succeeded | failed | cancelled jobs
    --limit N             At most N jobs (default 20)
  show ID                 One job: status, spec, latest metrics, result or error
  cancel ID               Cancel a queued job now, or a running one at its next batch

Options:
  --json                  Print the API's JSON instead of text
${clientOptionsHelp}
`;

export const jobsCommand: CliCommand = {
  summary: 'List, show or cancel training jobs on a server',
  run: (args) => runJobs(args, processIO()),
};

export async function runJobs(args: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    io.stderr.write(`maas jobs: ${(err as Error).message}\nRun 'maas jobs --help' for the options.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, id, ...extra] = positionals;
  if (values.help || action === undefined) {
    (values.help ? io.stdout : io.stderr).write(help);
    return values.help ? 0 : 2;
  }
  const needsId = action === 'show' || action === 'cancel';
  if ((needsId && (id === undefined || extra.length > 0)) || (action === 'list' && id !== undefined)) {
    io.stderr.write(`maas jobs: usage: maas jobs ${needsId ? `${action} ID` : 'list'}\n`);
    return 2;
  }
  const client = clientFrom(values);
  const print = (text: string, json: unknown) =>
    io.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text);
  try {
    switch (action) {
      case 'list': {
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        const page = await client.trainingJobs.list({
          limit,
          ...(values.status ? { status: values.status as TrainingJobStatus } : {}),
        });
        print(table(page.data), page.data);
        return 0;
      }
      case 'show': {
        const job = await client.trainingJobs.retrieve(id!);
        print(details(job), job);
        return 0;
      }
      case 'cancel': {
        const job = await client.trainingJobs.cancel(id!);
        const text =
          job.status === 'cancelled'
            ? `${job.id} cancelled\n`
            : `${job.id} will stop at its next batch (cancel requested)\n`;
        print(text, job);
        return 0;
      }
      default:
        io.stderr.write(`maas jobs: unknown action '${action}'; expected list, show or cancel\n`);
        return 2;
    }
  } catch (err) {
    io.stderr.write(`maas jobs: ${describeError(err)}\n`);
    return 1;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      ...clientOptions,
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

function table(jobs: TrainingJob[]): string {
  if (jobs.length === 0) return 'No training jobs.\n';
  const rows = [['ID', 'STATUS', 'MODEL', 'EPOCH', 'LOSS', 'RESULT', 'CREATED']];
  for (const j of jobs) {
    rows.push([
      j.id,
      j.status === 'queued' && j.queue_position !== null ? `queued (#${j.queue_position + 1})` : j.status,
      j.model,
      j.metrics ? `${j.metrics.epoch}/${j.hyperparameters.epochs}` : `-/${j.hyperparameters.epochs}`,
      j.metrics ? j.metrics.train_loss.toPrecision(4) : '-',
      j.result ? `v${j.result.version}` : j.error ? j.error.code : '-',
      j.created_at,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function details(job: TrainingJob): string {
  const h = job.hyperparameters;
  const lines = [
    `${job.id}  ${job.status}${job.queue_position !== null ? ` (position ${job.queue_position} in the queue)` : ''}`,
    `model       ${job.model}`,
    `dataset     ${job.dataset}${job.validation_dataset ? ` (validation ${job.validation_dataset})` : ''}`,
    `task        ${h.task}: ${h.target} from ${h.features.join(', ')}`,
    `network     ${JSON.stringify(h.architecture)}`,
    `optimizer   ${JSON.stringify(h.optimizer)}`,
    `training    ${h.epochs} epochs, batch ${h.batch_size}, loss ${h.loss}, validation ${h.validation_split}, seed ${h.seed}${h.early_stopping ? `, early stopping ${JSON.stringify(h.early_stopping)}` : ''}`,
    `created     ${job.created_at}`,
  ];
  if (job.started_at) lines.push(`started     ${job.started_at}`);
  if (job.finished_at) lines.push(`finished    ${job.finished_at}`);
  if (job.metrics) {
    const m = job.metrics;
    const parts = [`epoch ${m.epoch}`, `loss ${m.train_loss.toPrecision(4)}`];
    if (m.train_accuracy !== undefined) parts.push(`acc ${m.train_accuracy.toPrecision(4)}`);
    if (m.val_loss !== undefined) parts.push(`val_loss ${m.val_loss.toPrecision(4)}`);
    if (m.val_accuracy !== undefined) parts.push(`val_acc ${m.val_accuracy.toPrecision(4)}`);
    lines.push(`metrics     ${parts.join(', ')}`);
  }
  if (job.result) lines.push(`result      ${job.result.model} version ${job.result.version}`);
  if (job.error) lines.push(`error       ${job.error.code}: ${job.error.message}`);
  return `${lines.join('\n')}\n`;
}
