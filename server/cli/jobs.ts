import type { TrainingJob, TrainingJobStatus } from '../../src/types.js';
import { clientFrom, clientOptionsHelp, parseClientArgs } from './client.js';
import { checkArguments, HELP, runClientWork } from './client-command.js';
import { type CliCommand, type CliIO, EXIT, processIO, UsageError } from './command.js';
import { followJob } from './follow.js';
import { textTable } from './text-table.js';

const STATUSES: readonly TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const MAX_LIMIT = 100;

const help = `Usage: maas jobs <list | show ID | follow ID | cancel ID> [options]

  list                    Training jobs, newest first
    --status STATUS       Only queued | running | succeeded | failed | cancelled jobs
    --limit N             At most N jobs, 1 to ${MAX_LIMIT} (default 20)
  show ID                 One job: status, spec, latest metrics, result or error
  follow ID               Show a job's events until it ends (Ctrl-C stops following; the job keeps running)
  cancel ID               Cancel a queued job now, or a running one at its next batch

Options:
  --json                  Print the API's JSON instead of text (list, show, cancel)
${clientOptionsHelp}

Exit codes: 0 done, 1 failed (server error; for follow, the job failed or was cancelled), 2 bad arguments,
130 interrupted (Ctrl-C).
`;

export const jobsCommand: CliCommand = {
  summary: 'List, show, follow or cancel training jobs on a server',
  run: (args) => runJobs(args, processIO()),
};

type Action = 'list' | 'show' | 'follow' | 'cancel';

/** `maas jobs`; `signal` stands in for Ctrl-C (tests). */
export async function runJobs(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const checked = await checkArguments(io, 'jobs', help, () => {
    const parsed = parse(args);
    return parsed.values.help ? HELP : { values: parsed.values, request: checkArgs(parsed) };
  });
  if (typeof checked === 'number') return checked;
  const { values } = checked;
  const { action, id, limit, status } = checked.request;
  const client = clientFrom(values);
  const print = (text: string, json: unknown) =>
    io.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text);
  return runClientWork(
    io,
    'jobs',
    async (interrupt) => {
      const options = { signal: interrupt.signal };
      switch (action) {
        case 'list': {
          const page = await client.trainingJobs.list({ limit, ...(status ? { status } : {}) }, options);
          print(table(page.data), page.data);
          return EXIT.ok;
        }
        case 'show': {
          const job = await client.trainingJobs.retrieve(id!, options);
          print(details(job), job);
          return EXIT.ok;
        }
        case 'follow': {
          const job = await client.trainingJobs.retrieve(id!, options);
          return followJob(client, job, io, interrupt, 'jobs', { cancelOnInterrupt: false });
        }
        case 'cancel': {
          const job = await client.trainingJobs.cancel(id!, options);
          const text =
            job.status === 'cancelled'
              ? `${job.id} cancelled\n`
              : `${job.id} will stop at its next batch (cancel requested)\n`;
          print(text, job);
          return EXIT.ok;
        }
      }
    },
    {
      signal,
      interrupted: () =>
        action === 'follow'
          ? `maas jobs: stopped following ${id}; it keeps running ('maas jobs cancel ${id}' stops it)`
          : 'maas jobs: interrupted',
    },
  );
}

function parse(args: string[]) {
  return parseClientArgs(args, {
    status: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
}

/** The action, its id and the list filters, all checked before a request is made. */
function checkArgs({ values, positionals }: ReturnType<typeof parse>) {
  const [action, id, ...extra] = positionals;
  if (action === undefined) throw new UsageError('expected an action: list, show ID, follow ID or cancel ID');
  if (!['list', 'show', 'follow', 'cancel'].includes(action)) {
    throw new UsageError(`unknown action '${action}'; expected list, show, follow or cancel`);
  }
  const needsId = action !== 'list';
  if ((needsId && (id === undefined || extra.length > 0)) || (!needsId && id !== undefined)) {
    throw new UsageError(`usage: maas jobs ${needsId ? `${action} ID` : 'list'}`);
  }
  if (action !== 'list' && (values.limit !== undefined || values.status !== undefined)) {
    throw new UsageError(`--limit and --status are options of 'maas jobs list'`);
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!/^\d+$/.test(values.limit ?? '20') || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit: expected an integer from 1 to ${MAX_LIMIT}, got '${values.limit}'`);
  }
  const status = values.status as TrainingJobStatus | undefined;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new UsageError(`--status: expected one of ${STATUSES.join(', ')}, got '${status}'`);
  }
  return { action: action as Action, id, limit, status };
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
  return textTable(rows);
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
