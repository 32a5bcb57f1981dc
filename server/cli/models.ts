// `maas models`: the models on a server, their versions and routing — list, show, upload, delete, promote, label,
// traffic, shadow, events — all through MaasClient.
import { readFile } from 'node:fs/promises';
import type { MaasClient } from '../../src/index.js';
import type { Model, ModelUpdateRequest } from '../../src/types.js';
import { clientFrom, clientOptionsHelp, parseClientArgs } from './client.js';
import { checkArguments, HELP, runClientWork } from './client-command.js';
import { type CliCommand, type CliIO, EXIT, processIO, UsageError } from './command.js';
import { textTable } from './text-table.js';

const help = `Usage: maas models <action> [arguments] [options]

  list                          Every model: versions, default, labels, traffic
  show MODEL                    One model: its versions with state, size and source; routing; shadow report
  upload MODEL FILE.onnx        Upload a version (the next version number) [--description TEXT]
  delete MODEL VERSION          Unload a version and remove it
  promote MODEL VERSION         Pin VERSION as the default (unversioned traffic goes there; a split is removed)
  unpin MODEL                   Follow the version policy again (the highest READY version)
  label MODEL NAME=VERSION...   Set labels (e.g. stable=3 canary=4); NAME= removes one
  traffic MODEL VERSION=WEIGHT...
                                Split unversioned traffic (e.g. 3=90 4=10); --clear removes the split
    --max-error-rate X          Roll a canary back when its error rate exceeds the stable version's by X (0–1)
    --max-p99-ratio X           … or its p99 latency exceeds X × the stable version's
    --min-requests N            … once it has served N requests (default 100)
  shadow MODEL VERSION          Mirror unversioned traffic to VERSION [--fraction F, default 1]; --clear stops it
  events MODEL                  The model's routing changes with their reasons

Options:
  --reason TEXT                 Why (recorded with promote, unpin, label, traffic and shadow changes)
  --json                        Print the API's JSON instead of text
${clientOptionsHelp}

Exit codes: 0 done, 1 failed (a server error), 2 bad arguments, 130 interrupted (Ctrl-C).
`;

export const modelsCommand: CliCommand = {
  summary: 'List, show, upload, delete models; promote, label, split or shadow their versions',
  run: (args) => runModels(args, processIO()),
};

const ACTIONS = [
  'list',
  'show',
  'upload',
  'delete',
  'promote',
  'unpin',
  'label',
  'traffic',
  'shadow',
  'events',
] as const;
type Action = (typeof ACTIONS)[number];
/** Arguments after the action: [min, max] (Infinity: any number more). */
const ARITY: Record<Action, [number, number]> = {
  list: [0, 0],
  show: [1, 1],
  upload: [2, 2],
  delete: [2, 2],
  promote: [2, 2],
  unpin: [1, 1],
  label: [2, Number.POSITIVE_INFINITY],
  traffic: [1, Number.POSITIVE_INFINITY],
  shadow: [1, 2],
  events: [1, 1],
};
const USAGE: Record<Action, string> = {
  list: 'list',
  show: 'show MODEL',
  upload: 'upload MODEL FILE.onnx',
  delete: 'delete MODEL VERSION',
  promote: 'promote MODEL VERSION',
  unpin: 'unpin MODEL',
  label: 'label MODEL NAME=VERSION...',
  traffic: 'traffic MODEL VERSION=WEIGHT... (or --clear)',
  shadow: 'shadow MODEL VERSION [--fraction F] (or --clear)',
  events: 'events MODEL',
};

function parse(args: string[]) {
  return parseClientArgs(args, {
    json: { type: 'boolean' },
    reason: { type: 'string' },
    description: { type: 'string' },
    clear: { type: 'boolean' },
    fraction: { type: 'string' },
    'max-error-rate': { type: 'string' },
    'max-p99-ratio': { type: 'string' },
    'min-requests': { type: 'string' },
  });
}

type Parsed = ReturnType<typeof parse>;

/** What one invocation asks the server: a read, or an update body; checked before anything is sent. */
type Request =
  | { action: 'list' | 'show' | 'events'; model?: string }
  | { action: 'upload'; model: string; file: string }
  | { action: 'delete'; model: string; version: string }
  | { action: 'update'; model: string; body: ModelUpdateRequest; done: string };

/** `maas models`; `signal` stands in for Ctrl-C (tests). */
export async function runModels(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const checked = await checkArguments(io, 'models', help, () => {
    const parsed = parse(args);
    return parsed.values.help ? HELP : { values: parsed.values, request: checkArgs(parsed) };
  });
  if (typeof checked === 'number') return checked;
  const { values, request } = checked;
  const client = clientFrom(values);
  const print = (text: string, json: unknown) =>
    io.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text);
  return runClientWork(
    io,
    'models',
    async (interrupt) => {
      const options = { signal: interrupt.signal };
      switch (request.action) {
        case 'list': {
          const models: Model[] = [];
          for await (const model of client.models.list({ limit: 100 }, options)) models.push(model);
          print(listTable(models), models);
          return EXIT.ok;
        }
        case 'show': {
          const model = await client.models.retrieve(request.model!, options);
          const shadow = model.shadow ? await client.models.shadow(model.name, options) : null;
          print(showModel(model, shadow), shadow ? { ...model, shadow_report: shadow } : model);
          return EXIT.ok;
        }
        case 'events': {
          const { data } = await client.models.events(request.model!, { limit: 1000 }, options);
          print(
            textTable([
              ['ID', 'AT', 'KIND', 'REASON'],
              ...data.map((e) => [String(e.id), e.created_at, e.kind, e.reason]),
            ]),
            data,
          );
          return EXIT.ok;
        }
        case 'upload': {
          const bytes = await readFile(request.file).catch((err: NodeJS.ErrnoException) => {
            throw new Error(`cannot read ${request.file}: ${err.code ?? err.message}`);
          });
          const version = await client.models.upload(
            request.model,
            bytes,
            values.description !== undefined ? { description: values.description } : {},
            options,
          );
          print(
            `${request.model} version ${version.version}: ${version.state}${version.reason ? ` (${version.reason})` : ''}\n`,
            version,
          );
          return EXIT.ok;
        }
        case 'delete': {
          const deleted = await client.models.deleteVersion(request.model, request.version, options);
          print(`${request.model} version ${request.version} deleted\n`, deleted);
          return EXIT.ok;
        }
        case 'update': {
          const model = await client.models.update(request.model, request.body, options);
          print(`${request.done}\n${routingLines(model)}`, model);
          return EXIT.ok;
        }
      }
    },
    { signal },
  );
}

function checkArgs({ values, positionals }: Parsed): Request {
  const [action, ...rest] = positionals;
  if (action === undefined) throw new UsageError(`expected an action: ${ACTIONS.join(', ')}`);
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`unknown action '${action}'; expected one of ${ACTIONS.join(', ')}`);
  }
  const a = action as Action;
  const [min, max] = ARITY[a];
  const clearing = values.clear === true && (a === 'traffic' || a === 'shadow');
  if (rest.length < min || rest.length > (clearing ? 1 : max)) throw new UsageError(`usage: maas models ${USAGE[a]}`);
  if (values.clear && !(a === 'traffic' || a === 'shadow'))
    throw new UsageError(`--clear is an option of 'traffic' and 'shadow'`);
  const [model, ...more] = rest as [string, ...string[]];
  const reason = values.reason !== undefined ? { reason: values.reason } : {};
  switch (a) {
    case 'list':
      return { action: 'list' };
    case 'show':
    case 'events':
      return { action: a, model };
    case 'upload':
      return { action: 'upload', model, file: more[0]! };
    case 'delete':
      return { action: 'delete', model, version: version(more[0]!, 'VERSION') };
    case 'promote': {
      const v = version(more[0]!, 'VERSION');
      // A pin only decides unversioned traffic when no split does: promoting removes the split.
      return {
        action: 'update',
        model,
        body: { default_version: v, traffic: null, ...reason },
        done: `${model}: version ${v} is the default`,
      };
    }
    case 'unpin':
      return {
        action: 'update',
        model,
        body: { default_version: null, ...reason },
        done: `${model}: the default follows the version policy`,
      };
    case 'label': {
      const labels: Record<string, string | null> = {};
      for (const pair of more) {
        const [name, v] = split(pair, 'NAME=VERSION');
        labels[name] = v === '' ? null : version(v, `${name}=`);
      }
      return { action: 'update', model, body: { labels, ...reason }, done: `${model}: labels set` };
    }
    case 'traffic': {
      if (clearing)
        return { action: 'update', model, body: { traffic: null, ...reason }, done: `${model}: traffic split removed` };
      if (more.length === 0) throw new UsageError(`usage: maas models ${USAGE.traffic}`);
      const traffic = more.map((pair) => {
        const [v, w] = split(pair, 'VERSION=WEIGHT');
        return { version: version(v, 'VERSION='), weight: number(w, `${v}=`, 0, 1_000_000) };
      });
      const body: ModelUpdateRequest = { traffic, ...reason };
      const rollback = rollbackFrom(values);
      if (rollback) body.rollback = rollback;
      return {
        action: 'update',
        model,
        body,
        done: `${model}: traffic split ${traffic.map((t) => `v${t.version} ${t.weight}`).join(' / ')}`,
      };
    }
    case 'shadow': {
      if (clearing)
        return { action: 'update', model, body: { shadow: null, ...reason }, done: `${model}: shadow removed` };
      if (more.length === 0) throw new UsageError(`usage: maas models ${USAGE.shadow}`);
      const fraction = values.fraction === undefined ? 1 : number(values.fraction, '--fraction', 0, 1);
      const v = version(more[0]!, 'VERSION');
      return {
        action: 'update',
        model,
        body: { shadow: { version: v, fraction }, ...reason },
        done: `${model}: ${fraction * 100} % of unversioned traffic mirrored to version ${v}`,
      };
    }
  }
}

function rollbackFrom(values: Parsed['values']): ModelUpdateRequest['rollback'] | undefined {
  const rate = values['max-error-rate'];
  const ratio = values['max-p99-ratio'];
  const min = values['min-requests'];
  if (rate === undefined && ratio === undefined) {
    if (min !== undefined) throw new UsageError('--min-requests goes with --max-error-rate or --max-p99-ratio');
    return undefined;
  }
  const guard: NonNullable<ModelUpdateRequest['rollback']> = {};
  if (rate !== undefined) guard.max_error_rate = number(rate, '--max-error-rate', 0, 1);
  if (ratio !== undefined) guard.max_p99_ratio = number(ratio, '--max-p99-ratio', 1, 1000);
  if (min !== undefined) {
    if (!/^[1-9]\d*$/.test(min)) throw new UsageError(`--min-requests: expected a positive integer, got '${min}'`);
    guard.min_requests = Number(min);
  }
  return guard;
}

function split(pair: string, form: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new UsageError(`expected ${form}, got '${pair}'`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function version(text: string, what: string): string {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new UsageError(`${what}: expected a version such as 3, got '${text}'`);
  return text;
}

function number(text: string, what: string, min: number, max: number): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${what}: expected a number from ${min} to ${max}, got '${text}'`);
  return n;
}

function routing(model: Model): string {
  const parts: string[] = [];
  if (model.pinned_version !== null) parts.push(`pinned v${model.pinned_version}`);
  if (model.traffic) parts.push(`split ${model.traffic.map((t) => `v${t.version}:${t.weight}`).join(' ')}`);
  if (model.shadow) parts.push(`shadow v${model.shadow.version} ${model.shadow.fraction * 100}%`);
  return parts.join(', ') || '-';
}

function labels(model: Model): string {
  return (
    Object.entries(model.labels)
      .map(([l, v]) => `${l}=v${v}`)
      .join(' ') || '-'
  );
}

function listTable(models: readonly Model[]): string {
  if (models.length === 0) return 'No models.\n';
  return textTable([
    ['MODEL', 'VERSIONS', 'READY', 'DEFAULT', 'LABELS', 'ROUTING'],
    ...models.map((m) => [
      m.name,
      m.versions.map((v) => v.version).join(',') || '-',
      m.versions
        .filter((v) => v.state === 'READY')
        .map((v) => v.version)
        .join(',') || '-',
      m.default_version ?? '-',
      labels(m),
      routing(m),
    ]),
  ]);
}

function routingLines(model: Model): string {
  return `  default ${model.default_version ?? '-'}${model.pinned_version !== null ? ' (pinned)' : ''}; labels ${labels(model)}; ${routing(model)}\n`;
}

function showModel(model: Model, shadow: Awaited<ReturnType<MaasClient['models']['shadow']>> | null): string {
  const lines = [
    `${model.name}${model.description ? `  ${model.description}` : ''}`,
    routingLines(model).trimEnd(),
    textTable([
      ['VERSION', 'STATE', 'SIZE', 'SOURCE', 'CREATED', 'REASON'],
      ...model.versions.map((v) => [
        v.version,
        v.state,
        `${v.size_bytes} B`,
        v.source === 'training' && v.training_job ? `training ${v.training_job}` : v.source,
        v.created_at,
        v.reason,
      ]),
    ]).trimEnd(),
  ];
  if (shadow) {
    const agreement = shadow.argmax_agreement === null ? '-' : `${(shadow.argmax_agreement * 100).toFixed(2)} %`;
    lines.push(
      `shadow v${shadow.version}: ${shadow.mirrored} mirrored, ${shadow.dropped} dropped, ${shadow.failed} failed; argmax agreement ${agreement}; max abs diff ${round(shadow.max_abs_diff, 3)}; p99 ${round(shadow.latency_ms.primary_p99, 3)} ms primary, ${round(shadow.latency_ms.shadow_p99, 3)} ms shadow`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A figure to `digits` significant digits, or '-' when there is none yet. */
const round = (n: number | null | undefined, digits: number) =>
  n == null ? '-' : String(Number(n.toPrecision(digits)));
