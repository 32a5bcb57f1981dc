// `maas optimize --model M --method int8 --eval-data FILE --target COL`: uploads the evaluation (and training) data,
// runs an optimisation job on the server with its stages as progress, and prints the report — parent against
// candidate — as a table, then the gate's verdict and the version published.
import type { MaasClient } from '../../src/index.js';
import type {
  EvaluationFigures,
  OptimizationJob,
  OptimizationJobCreateRequest,
  OptimizationMethod,
  OptimizationReport,
} from '../../src/types.js';
import { clientFrom, clientOptionsHelp, parseClientArgs } from './client.js';
import { checkArguments, HELP, runClientWork } from './client-command.js';
import { type CliCommand, type CliIO, EXIT, processIO, UsageError } from './command.js';
import type { Interrupt } from './interrupt.js';
import { Progress } from './progress.js';
import { textTable } from './text-table.js';
import { readDataFile, removeUploads, uploadFiles } from './uploads.js';

const help = `Usage: maas optimize --model NAME --method METHOD --eval-data FILE --target COLUMN [options]

Makes a smaller or faster version of a served model on the server: evaluates the parent and the candidate on
FILE, checks the candidate against its gate, and publishes it as the model's next version — a candidate that takes
no unversioned traffic until promoted (maas models promote NAME VERSION), unless --promote. Shows each stage, then
the report as a table. Ctrl-C cancels the job (exit 130).

Required:
  --model NAME            The served model to optimise
  --method METHOD         int8 (int8 dynamic: integer MatMul/Gemm), int8-weight-only, fp16, prune, distill
  --eval-data FILE        Evaluation data: .csv (header row) or .jsonl / .ndjson
  --target COLUMN         The column holding the truth

Options:
  --version V             The version to start from (default: the one unversioned requests go to)
  --features A,B,...      The model's feature columns in input order (default: its metadata, else every other column)
  --per-channel           int8: one scale per output channel
  --sparsity F            prune: the fraction of weights set to zero (default 0.5)
  --scope SCOPE           prune: global | layer (default global)
  --train-data FILE       prune: fine-tune on it; distill: the transfer data (default: --eval-data for distill)
  --epochs N              prune: fine-tuning epochs (default 10 with --train-data); distill: epochs (default 20)
  --student 32,16         distill: the student's hidden layers (default 32)
  --temperature T         distill: softening temperature (default 4)
  --alpha A               distill: weight of the hard labels (default 0.5)
  --min-agreement F       Gate: minimum argmax agreement with the parent (0..1)
  --max-accuracy-drop P   Gate: maximum accuracy drop in points
  --output-model NAME     Publish under another model (default: --model)
  --promote               Make the candidate the new default at once
  --detach                Print the job id and return without waiting
${clientOptionsHelp}

Exit codes: 0 published, 1 failed (server error, job failed — its gate included — or cancelled), 2 bad flags
(nothing uploaded), 130 interrupted (Ctrl-C).
`;

export const optimizeCommand: CliCommand = {
  summary: 'Quantise, prune or distil a served model, evaluated and gated on your data',
  run: (args) => runOptimize(args, processIO()),
};

function parse(args: string[]) {
  return parseClientArgs(args, {
    model: { type: 'string' },
    method: { type: 'string' },
    'eval-data': { type: 'string' },
    target: { type: 'string' },
    version: { type: 'string' },
    features: { type: 'string' },
    'per-channel': { type: 'boolean' },
    sparsity: { type: 'string' },
    scope: { type: 'string' },
    'train-data': { type: 'string' },
    epochs: { type: 'string' },
    student: { type: 'string' },
    temperature: { type: 'string' },
    alpha: { type: 'string' },
    'min-agreement': { type: 'string' },
    'max-accuracy-drop': { type: 'string' },
    'output-model': { type: 'string' },
    promote: { type: 'boolean' },
    detach: { type: 'boolean' },
  });
}

type Values = ReturnType<typeof parse>['values'];
const METHODS = ['int8', 'int8-weight-only', 'fp16', 'prune', 'distill'];

function number(values: Values, flag: keyof Values, fallback?: number): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${flag}: expected a number, got '${String(raw)}'`);
  }
  return n;
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The method from the flags; the server checks the values (a bad one is its 400 naming the field). */
function methodOf(values: Values, training: string | undefined): OptimizationMethod {
  switch (values.method) {
    case 'int8':
    case 'int8-weight-only':
      return {
        type: 'quantize',
        precision: 'int8',
        mode: values.method === 'int8' ? 'dynamic' : 'weight_only',
        ...(values['per-channel'] ? { per_channel: true } : {}),
      };
    case 'fp16':
      return { type: 'quantize', precision: 'fp16' };
    case 'prune':
      return {
        type: 'prune',
        sparsity: number(values, 'sparsity', 0.5)!,
        ...(values.scope ? { scope: values.scope as 'global' | 'layer' } : {}),
        ...(training
          ? { fine_tune: { dataset: training, target: values.target!, epochs: number(values, 'epochs', 10)! } }
          : {}),
      };
    default:
      return {
        type: 'distill',
        dataset: training!,
        student: {
          architecture: { type: 'mlp', hidden_layers: list(values.student ?? '32').map(Number) },
        },
        temperature: number(values, 'temperature', 4)!,
        alpha: number(values, 'alpha', 0.5)!,
        epochs: number(values, 'epochs', 20)!,
      };
  }
}

/** `maas optimize`; `signal` stands in for Ctrl-C (tests). */
export async function runOptimize(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const checked = await checkArguments(io, 'optimize', help, async () => {
    const { values, positionals } = parse(args);
    if (values.help) return HELP;
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    for (const flag of ['model', 'method', 'eval-data', 'target'] as const) {
      if (!values[flag]) throw new UsageError(`--${flag} is required`);
    }
    if (!METHODS.includes(values.method!)) {
      throw new UsageError(`--method: expected one of ${METHODS.join(', ')}, got '${values.method}'`);
    }
    if (values['train-data'] && !['prune', 'distill'].includes(values.method!)) {
      throw new UsageError('--train-data: only with --method prune (fine-tuning) or distill');
    }
    // Flags are checked here, before anything is uploaded (the dataset ids are filled in later).
    methodOf(values, values['train-data'] || values.method === 'distill' ? 'ds_check' : undefined);
    for (const flag of ['min-agreement', 'max-accuracy-drop'] as const) number(values, flag);
    const files: [string, Uint8Array][] = [[values['eval-data']!, await readDataFile(values['eval-data']!)]];
    if (values['train-data']) files.push([values['train-data'], await readDataFile(values['train-data'])]);
    return { values, files };
  });
  if (typeof checked === 'number') return checked;
  const { values, files } = checked;
  const client = clientFrom(values);
  let job: OptimizationJob | undefined;
  return runClientWork(
    io,
    'optimize',
    async (interrupt) => {
      const uploaded = await uploadFiles(client, files, io, interrupt, 'optimize');
      const evaluation = uploaded[0]!.id;
      const training = uploaded[1]?.id ?? (values.method === 'distill' ? evaluation : undefined);
      try {
        job = await client.optimizationJobs.create(bodyOf(values, evaluation, training), { signal: interrupt.signal });
      } catch (err) {
        await removeUploads(client, uploaded, io, 'optimize');
        throw err;
      }
      io.stderr.write(`Created ${job.id} (${job.model} version ${job.version})\n`);
      if (values.detach) {
        io.stdout.write(`${job.id}\n`);
        return EXIT.ok;
      }
      return follow(client, job, io, interrupt);
    },
    {
      signal,
      interrupted: () =>
        job
          ? `maas optimize: interrupted; stopped waiting for ${job.id} (cancel requested)`
          : 'maas optimize: interrupted before a job was created',
    },
  );
}

function bodyOf(values: Values, evaluation: string, training: string | undefined): OptimizationJobCreateRequest {
  const gate = {
    ...(values['min-agreement'] !== undefined ? { min_agreement: number(values, 'min-agreement')! } : {}),
    ...(values['max-accuracy-drop'] !== undefined
      ? { max_accuracy_drop_pt: number(values, 'max-accuracy-drop')! }
      : {}),
  };
  return {
    model: values.model!,
    ...(values.version ? { version: values.version } : {}),
    method: methodOf(values, training),
    evaluation: {
      dataset: evaluation,
      target: values.target!,
      ...(values.features ? { features: list(values.features) } : {}),
    },
    ...(Object.keys(gate).length > 0 ? { gate } : {}),
    ...(values.promote ? { promote: true } : {}),
    ...(values['output-model'] ? { output_model: values['output-model'] } : {}),
  };
}

/** Follows the job (Ctrl-C cancels it), then prints the report; 0 when a version was published. */
async function follow(client: MaasClient, job: OptimizationJob, io: CliIO, interrupt: Interrupt): Promise<number> {
  const m = job.method;
  const epochs = m.type === 'distill' ? m.epochs : m.type === 'prune' ? (m.fine_tune?.epochs ?? 0) : 0;
  const progress = new Progress(io.stderr, { model: job.output_model, epochs });
  interrupt.onFirst(() => {
    progress.note(`Cancelling ${job.id} (Ctrl-C again to stop waiting)...`);
    client.optimizationJobs.cancel(job.id).catch(() => {});
  });
  let done: OptimizationJob;
  try {
    done = await client.optimizationJobs.wait(job.id, { onEvent: (e) => progress.event(e), signal: interrupt.signal });
  } finally {
    interrupt.onFirst(undefined);
    progress.end();
  }
  if (done.report) io.stdout.write(reportTable(done.report));
  if (done.status === 'succeeded' && done.result) {
    const { model, version } = done.result;
    const how = done.promote
      ? 'the new default'
      : `a candidate: 'maas models promote ${model} ${version}' makes it the default`;
    io.stdout.write(`Published ${model} version ${version} (${done.id}), ${how}\n`);
    return EXIT.ok;
  }
  const why = done.error ? `: ${done.error.code}: ${done.error.message}` : '';
  io.stderr.write(`maas optimize: ${done.id} ${done.status}${why}\n`);
  return EXIT.failed;
}

/** The report as the terminal shows it: parent and candidate side by side, then the gate's checks. */
export function reportTable(r: OptimizationReport): string {
  const p = r.parent;
  const c = r.candidate;
  const row = (name: string, f: (e: EvaluationFigures) => string | null) => [name, f(p) ?? '-', f(c) ?? '-'];
  const fixed = (x: number | null, digits = 4) => (x === null ? null : x.toFixed(digits));
  const pct = (x: number | null) => (x === null ? null : `${(x * 100).toFixed(2)} %`);
  const latency = (batch: number) => (e: EvaluationFigures) =>
    fixed(e.latency.find((l) => l.batch === batch)?.p50_ms ?? null, 3);
  const rows: string[][] = [['', 'parent', 'candidate']];
  if (p.task === 'classification') {
    rows.push(row('accuracy', (e) => pct(e.accuracy)));
    rows.push(row('agreement', (e) => pct(e.agreement)));
  } else {
    rows.push(row('rmse', (e) => fixed(e.rmse)));
    rows.push(row('mae', (e) => fixed(e.mae)));
  }
  rows.push(row('loss', (e) => fixed(e.loss)));
  rows.push(row('max abs diff', (e) => (e.max_abs_diff === null ? null : e.max_abs_diff.toExponential(2))));
  rows.push(row('p50 ms, batch 1', latency(1)));
  rows.push(row('p50 ms, batch 64', latency(64)));
  rows.push(['size bytes', String(r.size_bytes.before), `${r.size_bytes.after} (${r.size_ratio.toFixed(3)}x)`]);
  rows.push(['gzip bytes', String(r.gzip_bytes.before), `${r.gzip_bytes.after} (${r.gzip_ratio.toFixed(3)}x)`]);
  rows.push(['parameters', String(r.parameters.before), String(r.parameters.after)]);
  rows.push(['sparsity', pct(r.sparsity.before)!, pct(r.sparsity.after)!]);
  const gate = `Gate (${r.gate.method} defaults): ${r.gate.passed ? 'passed' : 'FAILED'}\n${r.gate.reasons
    .map((reason) => `  ${reason}\n`)
    .join('')}`;
  const notes = r.notes.map((n) => `Note: ${n}\n`).join('');
  return `${textTable(rows)}${gate}${notes}`;
}
