import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Every server setting, resolved. Sources, lowest first: default < `--config FILE` < `MAAS_*` env < flag. */
export interface Settings {
  /** Triton-layout model repository: `<dir>/<model>/<version>/model.onnx`. */
  modelRepository: string;
  /**
   * Create the model repository when it does not exist. On by default only when no repository was named (the
   * default `<data-dir>/models`): a mistyped `--model-repository` is an error, not an empty server.
   */
  createRepository: boolean;
  /** Seed a model repository that does not exist yet with the bundled demo models (default `<data-dir>/demo-models`). */
  demo: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve `inference.GRPCInferenceService` beside HTTP (`--no-grpc` turns it off). */
  grpc: boolean;
  /** The gRPC port (Triton's 8001); 0 picks a free port. */
  grpcPort: number;
  /**
   * Serve `GET /metrics` on this port (on `host`, without API keys) instead of on `port` behind them. Undefined: on
   * `port`. 0 picks a free port.
   */
  metricsPort: number | undefined;
  /** Seconds between repository scans; 0 turns polling off. */
  pollInterval: number;
  /** Largest request body, in bytes. */
  maxBodySize: number;
  /** Largest dataset upload, in bytes (dataset uploads have their own limit). */
  maxDatasetSize: number;
  /** ONNX Runtime intra-op threads per session; 0 lets the runtime decide. A model's `parameters` override it. */
  intraOpThreads: number;
  /** Sessions (worker threads) per model version, unless its instance_group says otherwise. */
  instanceCount: number;
  /**
   * Where sessions run: `auto` (default: worker threads, plus the server's thread for single-instance versions whose
   * runs measure tiny), `workers` only, or `main` only (cheapest for tiny models, but a slow one stalls everything).
   */
  sessionThreads: 'auto' | 'workers' | 'main';
  /** With `auto`: the longest run, in microseconds, the server's thread takes on. */
  inlineRunLimit: number;
  /** Requests in progress at once, server-wide; beyond it a request gets 503 overloaded at once. 0 = no limit. */
  maxInflight: number;
  /** Evaluations (each a worker thread) in progress at once; beyond it, 503 overloaded at once. 0 = no limit. */
  maxEvaluations: number;
  /** On SIGTERM: seconds to keep serving (reporting not-ready) so load balancers stop sending, before draining. */
  drainDelay: number;
  /** Accepted Bearer keys; empty = no authentication. */
  apiKeys: string[];
  /** Where datasets and the jobs' copies of them live (and the SQLite database, when `database` is null). */
  dataDir: string;
  /** A `postgres://` URL: the store several replicas and workers share; null = SQLite at `<dataDir>/maas.db`. */
  database: string | null;
  /** A `postgres://` URL (the `database`): training jobs go to pg-boss there; null = run them in this process. */
  queue: string | null;
  /** With a shared database: seconds a process holds a running job without renewing before another takes it over. */
  jobLease: number;
  /** Jobs this process trains at once; 0 (with a queue) = it trains none, workers do. */
  maxConcurrentJobs: number;
  /** Seconds to let in-flight requests finish on shutdown. */
  shutdownTimeout: number;
  logLevel: LogLevel;
  /** How log lines are written: `json` (one JSON object per line, pino's own) or `logfmt` (key=value). */
  logFormat: LogFormat;
}

export type LogFormat = 'json' | 'logfmt';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type SettingKey = keyof Settings;
type Kind =
  | 'string'
  | 'path'
  | 'integer'
  | 'seconds'
  | 'bytes'
  | 'list'
  | 'log-level'
  | 'boolean'
  | 'choice'
  | 'postgres-url';

/** One setting, documented once: the CLI's options, `--help`, env names and config keys all come from here. */
export interface SettingSpec {
  key: SettingKey;
  flag: string;
  env: string;
  kind: Kind;
  /** Empty for boolean flags (they take no value). */
  valueName: string;
  description: string;
  /** Shown in --help. */
  defaultText: string;
  /** A boolean whose flag turns it off (`--no-grpc` sets `grpc` to false). */
  negates?: boolean;
  /** Repeatable flag (lists). */
  multiple?: boolean;
  /** The values a `choice` takes. */
  choices?: readonly string[];
  min?: number;
  max?: number;
}

export const settingSpecs: readonly SettingSpec[] = [
  {
    key: 'modelRepository',
    flag: 'model-repository',
    env: 'MAAS_MODEL_REPOSITORY',
    kind: 'path',
    valueName: 'DIR',
    description: 'Model repository, Triton layout: DIR/<model>/<version>/model.onnx (+ DIR/<model>/config.json)',
    defaultText: '<data-dir>/models',
  },
  {
    key: 'createRepository',
    flag: 'create-repository',
    env: 'MAAS_CREATE_REPOSITORY',
    kind: 'boolean',
    valueName: '',
    description:
      'Create the model repository if it does not exist (without it, a missing --model-repository is an error)',
    defaultText: 'on only when no --model-repository is given',
  },
  {
    key: 'demo',
    flag: 'demo',
    env: 'MAAS_DEMO',
    kind: 'boolean',
    valueName: '',
    description:
      'Serve the bundled demo models (keras_mlp, multi_io, iris_classifier): the model repository (default <data-dir>/demo-models) starts as a copy of them when it does not exist yet, so trained and uploaded versions never land in the package',
    defaultText: 'off',
  },
  {
    key: 'host',
    flag: 'host',
    env: 'MAAS_HOST',
    kind: 'string',
    valueName: 'HOST',
    description: 'Interface to listen on',
    defaultText: '127.0.0.1',
  },
  {
    key: 'port',
    flag: 'port',
    env: 'MAAS_PORT',
    kind: 'integer',
    valueName: 'PORT',
    description: 'Port to listen on; 0 picks a free port',
    defaultText: '8000',
    min: 0,
    max: 65535,
  },
  {
    key: 'grpc',
    flag: 'no-grpc',
    env: 'MAAS_GRPC',
    kind: 'boolean',
    valueName: '',
    negates: true,
    description:
      'Do not serve gRPC (inference.GRPCInferenceService, the KServe v2 / Triton gRPC API); MAAS_GRPC=false does the same',
    defaultText: 'gRPC on',
  },
  {
    key: 'grpcPort',
    flag: 'grpc-port',
    env: 'MAAS_GRPC_PORT',
    kind: 'integer',
    valueName: 'PORT',
    description: 'Port of the gRPC service (on --host); 0 picks a free port',
    defaultText: '8001',
    min: 0,
    max: 65535,
  },
  {
    key: 'metricsPort',
    flag: 'metrics-port',
    env: 'MAAS_METRICS_PORT',
    kind: 'integer',
    valueName: 'PORT',
    description:
      'Serve GET /metrics (Prometheus text format) on this port of --host, without API keys, instead of on --port behind them; 0 picks a free port',
    defaultText: 'none (GET /metrics on --port)',
    min: 0,
    max: 65535,
  },
  {
    key: 'pollInterval',
    flag: 'poll-interval',
    env: 'MAAS_POLL_INTERVAL',
    kind: 'seconds',
    valueName: 'SECONDS',
    description: 'Rescan the repository this often, loading and unloading versions; 0 turns polling off',
    defaultText: '0',
  },
  {
    key: 'maxBodySize',
    flag: 'max-body-size',
    env: 'MAAS_MAX_BODY_SIZE',
    kind: 'bytes',
    valueName: 'SIZE',
    description: 'Largest request body: bytes, or with a unit (512kb, 64mb, 1gb; units are powers of 1024)',
    defaultText: '64mb',
  },
  {
    key: 'maxDatasetSize',
    flag: 'max-dataset-size',
    env: 'MAAS_MAX_DATASET_SIZE',
    kind: 'bytes',
    valueName: 'SIZE',
    description: 'Largest dataset upload (CSV or JSONL), with the same units as --max-body-size',
    defaultText: '100mb',
  },
  {
    key: 'intraOpThreads',
    flag: 'intra-op-threads',
    env: 'MAAS_INTRA_OP_THREADS',
    kind: 'integer',
    valueName: 'N',
    description: 'ONNX Runtime intra-op threads per session; 0 lets the runtime decide',
    defaultText: '0',
    min: 0,
    max: 1024,
  },
  {
    key: 'instanceCount',
    flag: 'instance-count',
    env: 'MAAS_INSTANCE_COUNT',
    kind: 'integer',
    valueName: 'N',
    description: 'Sessions (worker threads) per model version, when its config.json has no instance_group',
    defaultText: '1',
    min: 1,
    max: 64,
  },
  {
    key: 'sessionThreads',
    flag: 'session-threads',
    env: 'MAAS_SESSION_THREADS',
    kind: 'choice',
    choices: ['auto', 'workers', 'main'],
    valueName: 'WHERE',
    description:
      'Where ONNX Runtime sessions run: auto (worker threads, and the server thread for the runs of single-instance versions that measure under --inline-run-limit), workers (worker threads only: a slow model never stalls the server) or main (the server thread only: one slow run delays every request)',
    defaultText: 'auto',
  },
  {
    key: 'inlineRunLimit',
    flag: 'inline-run-limit',
    env: 'MAAS_INLINE_RUN_LIMIT',
    kind: 'integer',
    valueName: 'MICROSECONDS',
    description:
      'With --session-threads auto: the longest run the server thread takes on; a version whose run on it takes longer goes back to its worker threads',
    defaultText: '1000',
    min: 1,
    max: 1_000_000,
  },
  {
    key: 'maxInflight',
    flag: 'max-inflight',
    env: 'MAAS_MAX_INFLIGHT',
    kind: 'integer',
    valueName: 'N',
    description:
      'Inference requests in progress at once; more get 503 overloaded with Retry-After at once (0 = no limit)',
    defaultText: '1024',
    max: 1_000_000,
  },
  {
    key: 'maxEvaluations',
    flag: 'max-evaluations',
    env: 'MAAS_MAX_EVALUATIONS',
    kind: 'integer',
    valueName: 'N',
    description:
      'Evaluations (POST …/evaluate, each in a worker thread) in progress at once; more get 503 overloaded with Retry-After at once (0 = no limit)',
    defaultText: '2',
    max: 64,
  },
  {
    key: 'drainDelay',
    flag: 'drain-delay',
    env: 'MAAS_DRAIN_DELAY',
    kind: 'seconds',
    valueName: 'SECONDS',
    description:
      'On SIGTERM, keep serving this long while reporting not-ready (so a load balancer stops sending) before draining; SIGINT drains at once',
    defaultText: '5',
  },
  {
    key: 'apiKeys',
    flag: 'api-key',
    env: 'MAAS_API_KEYS',
    kind: 'list',
    valueName: 'KEY',
    description: 'Require Authorization: Bearer KEY (repeatable; the env var takes a comma-separated list)',
    defaultText: 'none (no authentication)',
    multiple: true,
  },
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'MAAS_DATA_DIR',
    kind: 'path',
    valueName: 'DIR',
    description:
      'Where datasets and training jobs are kept (with --database, a folder every replica and worker shares, at the same path)',
    defaultText: './.maas-data',
  },
  {
    key: 'database',
    flag: 'database',
    env: 'MAAS_DATABASE',
    kind: 'postgres-url',
    valueName: 'URL',
    description:
      'PostgreSQL (postgres://USER:PASSWORD@HOST:PORT/DB) for datasets, jobs, events, checkpoints, idempotency keys and model routing, shared by every replica and worker',
    defaultText: 'SQLite at <data-dir>/maas.db',
  },
  {
    key: 'queue',
    flag: 'queue',
    env: 'MAAS_QUEUE',
    kind: 'postgres-url',
    valueName: 'URL',
    description:
      "Send training jobs to pg-boss in this PostgreSQL database (the --database one), to be run by 'maas worker' processes (and by this server, up to --max-concurrent-jobs)",
    defaultText: 'none (jobs run in this process)',
  },
  {
    key: 'jobLease',
    flag: 'job-lease',
    env: 'MAAS_JOB_LEASE',
    kind: 'seconds',
    valueName: 'SECONDS',
    description:
      'With --database: a process renews its hold on each job it runs every third of this; a job not renewed for this long is resumed by another process from its last checkpoint',
    defaultText: '30',
  },
  {
    key: 'maxConcurrentJobs',
    flag: 'max-concurrent-jobs',
    env: 'MAAS_MAX_CONCURRENT_JOBS',
    kind: 'integer',
    valueName: 'N',
    description:
      'Training jobs this process runs at the same time; the rest wait in the queue (0 with --queue: this process trains none)',
    defaultText: '1',
    min: 0,
    max: 64,
  },
  {
    key: 'shutdownTimeout',
    flag: 'shutdown-timeout',
    env: 'MAAS_SHUTDOWN_TIMEOUT',
    kind: 'seconds',
    valueName: 'SECONDS',
    description: 'On SIGTERM/SIGINT, how long in-flight requests may take to finish',
    defaultText: '10',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'MAAS_LOG_LEVEL',
    kind: 'log-level',
    valueName: 'LEVEL',
    description: `Log level on stderr (${logLevels.join(', ')}); info and below write one access log line per request`,
    defaultText: 'warn',
  },
  {
    key: 'logFormat',
    flag: 'log-format',
    env: 'MAAS_LOG_FORMAT',
    kind: 'choice',
    choices: ['json', 'logfmt'],
    valueName: 'FORMAT',
    description: 'How log lines are written: json (one JSON object per line) or logfmt (key=value pairs)',
    defaultText: 'json',
  },
];

const defaultDataDir = './.maas-data';

/** Defaults for everything except modelRepository and createRepository, which follow dataDir and demo. */
function defaults(): Omit<Settings, 'modelRepository' | 'createRepository'> & {
  modelRepository?: string;
  createRepository?: boolean;
} {
  return {
    demo: false,
    host: '127.0.0.1',
    port: 8000,
    grpc: true,
    grpcPort: 8001,
    metricsPort: undefined,
    pollInterval: 0,
    maxBodySize: 64 * 1024 * 1024,
    maxDatasetSize: 100 * 1024 * 1024,
    intraOpThreads: 0,
    instanceCount: 1,
    sessionThreads: 'auto',
    inlineRunLimit: 1000,
    maxInflight: 1024,
    maxEvaluations: 2,
    drainDelay: 5,
    apiKeys: [],
    dataDir: defaultDataDir,
    database: null,
    queue: null,
    jobLease: 30,
    maxConcurrentJobs: 1,
    shutdownTimeout: 10,
    logLevel: 'warn',
    logFormat: 'json',
  };
}

/** A setting that cannot be used; the message names where it came from. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export interface LoadSettingsOptions {
  /** Parsed flags keyed by flag name (`model-repository`), as node:util parseArgs returns them. */
  flags?: Record<string, string | boolean | string[] | boolean[] | undefined>;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** A JSON config file; defaults to `flags.config` or MAAS_CONFIG. */
  configFile?: string;
  /** Base for relative paths given by flags and env; defaults to process.cwd(). */
  cwd?: string;
}

/** Resolves every setting from its sources: default < config file < MAAS_* env < flag. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const cwd = options.cwd ?? process.cwd();
  const merged: Partial<Settings> = {};

  const configFile = options.configFile ?? stringFlag(flags.config) ?? env.MAAS_CONFIG;
  if (configFile) Object.assign(merged, readConfigFile(resolve(cwd, configFile)));

  for (const spec of settingSpecs) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== '') setValue(merged, spec, parseText(spec, raw, spec.env, cwd));
  }
  for (const spec of settingSpecs) {
    const raw = flags[spec.flag];
    if (raw === undefined) continue;
    const source = `--${spec.flag}`;
    if (spec.kind === 'boolean') {
      const set = raw === true || raw === 'true';
      setValue(merged, spec, spec.negates ? !set : set);
    } else if (spec.kind === 'list') {
      const items = (Array.isArray(raw) ? raw : [raw]).map(String);
      setValue(merged, spec, checkList(items, source));
    } else {
      setValue(merged, spec, parseText(spec, String(Array.isArray(raw) ? raw.at(-1) : raw), source, cwd));
    }
  }
  return resolveSettings(merged, cwd);
}

/** Fills in defaults (no env, no files): what `createServer(partial)` uses. */
export function resolveSettings(partial: Partial<Settings> = {}, cwd = process.cwd()): Settings {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const out = { ...defaults(), ...given };
  const dataDir = resolve(cwd, out.dataDir);
  const named = out.modelRepository !== undefined;
  const modelRepository = resolve(cwd, out.modelRepository ?? resolve(dataDir, out.demo ? 'demo-models' : 'models'));
  const createRepository = out.createRepository ?? !named;
  checkCluster(out);
  return { ...out, dataDir, modelRepository, createRepository, apiKeys: [...out.apiKeys] };
}

/** --queue, --database and --max-concurrent-jobs 0 only make sense together. */
function checkCluster(s: Pick<Settings, 'database' | 'queue' | 'maxConcurrentJobs' | 'jobLease'>): void {
  if (s.queue !== null) {
    if (s.database === null) {
      throw new SettingsError('--queue needs --database: the jobs it dispatches are kept in that PostgreSQL database');
    }
    if (!sameDatabase(s.queue, s.database)) {
      throw new SettingsError(
        '--queue must name the --database database: pg-boss keeps the queue in its own schema there, so a job and its queue entry are written in one transaction',
      );
    }
  } else if (s.maxConcurrentJobs === 0) {
    throw new SettingsError('--max-concurrent-jobs 0 needs --queue: without one, jobs would never run');
  }
  if (s.jobLease < 1) throw new SettingsError(`--job-lease: expected at least 1 second, got ${s.jobLease}`);
}

function sameDatabase(a: string, b: string): boolean {
  const key = (url: string) => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  };
  return key(a) === key(b);
}

function readConfigFile(path: string): Partial<Settings> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SettingsError(`--config ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(`--config ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SettingsError(`--config ${path}: expected a JSON object of settings`);
  }
  const out: Partial<Settings> = {};
  const base = dirname(path);
  for (const [name, value] of Object.entries(json)) {
    const spec = settingSpecs.find((s) => s.key === name || s.flag === name);
    const source = `--config ${path}: "${name}"`;
    if (!spec) {
      const known = settingSpecs.map((s) => s.flag).join(', ');
      throw new SettingsError(`${source} is not a setting; known settings: ${known}`);
    }
    if (spec.kind === 'list') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new SettingsError(`${source}: expected an array of strings`);
      }
      setValue(out, spec, checkList(value as string[], source));
    } else if (spec.kind === 'boolean') {
      if (typeof value !== 'boolean') throw new SettingsError(`${source}: expected true or false`);
      // `"no-grpc": true` by flag name means what the flag means; `"grpc": false` by key says it directly.
      setValue(out, spec, spec.negates && name === spec.flag ? !value : value);
    } else if (typeof value === 'string' || typeof value === 'number') {
      setValue(out, spec, parseText(spec, String(value), source, base));
    } else {
      throw new SettingsError(`${source}: expected a string or a number`);
    }
  }
  return out;
}

function setValue(target: Partial<Settings>, spec: SettingSpec, value: unknown): void {
  (target as Record<string, unknown>)[spec.key] = value;
}

function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseText(spec: SettingSpec, raw: string, source: string, base: string): unknown {
  const text = raw.trim();
  switch (spec.kind) {
    case 'string':
      if (!text) throw new SettingsError(`${source}: expected a value, got an empty string`);
      return text;
    case 'path':
      if (!text) throw new SettingsError(`${source}: expected a directory, got an empty string`);
      return resolve(base, text);
    case 'integer': {
      const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      const min = spec.min ?? 0;
      const max = spec.max ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new SettingsError(`${source}: expected an integer from ${min} to ${max}, got '${raw}'`);
      }
      return n;
    }
    case 'seconds': {
      const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(n)) throw new SettingsError(`${source}: expected a number of seconds >= 0, got '${raw}'`);
      return n;
    }
    case 'bytes':
      return parseByteSize(text, source);
    case 'list':
      return checkList(text.split(','), source);
    case 'boolean': {
      const value = { true: true, '1': true, yes: true, false: false, '0': false, no: false }[text.toLowerCase()];
      if (value === undefined) throw new SettingsError(`${source}: expected true or false (1/0, yes/no), got '${raw}'`);
      return value;
    }
    case 'choice':
      if (!spec.choices?.includes(text)) {
        throw new SettingsError(`${source}: expected one of ${spec.choices?.join(', ')}, got '${raw}'`);
      }
      return text;
    case 'postgres-url':
      return parsePostgresUrl(text, source);
    case 'log-level':
      if (!logLevels.includes(text as LogLevel)) {
        throw new SettingsError(`${source}: expected one of ${logLevels.join(', ')}, got '${raw}'`);
      }
      return text;
  }
}

function parsePostgresUrl(text: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  if (url?.protocol === 'redis:' || url?.protocol === 'rediss:') {
    throw new SettingsError(
      `${source}: Redis is not supported; maas keeps jobs and their queue (pg-boss) in PostgreSQL: give a postgres:// URL`,
    );
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    const shown = url ? `${url.protocol}//${url.host}${url.pathname}` : `'${text.replace(/:[^:@/]*@/, ':***@')}'`;
    throw new SettingsError(`${source}: expected a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL, got ${shown}`);
  }
  return text;
}

function checkList(items: string[], source: string): string[] {
  const out = items.map((s) => s.trim()).filter((s) => s.length > 0);
  if (out.length === 0) throw new SettingsError(`${source}: expected at least one non-empty value`);
  return out;
}

const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `1048576`, `512kb`, `64mb`, `1gb`, `1.5MiB` → bytes (units are powers of 1024). */
export function parseByteSize(text: string, source = 'size'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const factor = match ? units[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new SettingsError(`${source}: expected a size such as 1048576, 512kb, 64mb or 1gb, got '${text}'`);
  }
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1 || !Number.isSafeInteger(bytes)) {
    throw new SettingsError(`${source}: expected a size of at least 1 byte, got '${text}'`);
  }
  return bytes;
}

/** The `--help` block for these settings: one entry per flag with its env var and default. */
export function settingsHelp(specs: readonly SettingSpec[] = settingSpecs): string {
  const lines: string[] = [];
  for (const spec of specs) {
    lines.push(`  --${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}`);
    lines.push(`      ${spec.description}.`);
    lines.push(`      env ${spec.env}; default ${spec.defaultText}`);
  }
  lines.push('  --config FILE');
  lines.push('      JSON file of settings keyed by flag name (e.g. {"port": 8080, "api-key": ["k1"]}).');
  lines.push('      env MAAS_CONFIG. Precedence: default < config file < MAAS_* env < flag');
  return lines.join('\n');
}

/** node:util parseArgs option table for these settings (plus --config). */
export function settingsParseArgsOptions(
  specs: readonly SettingSpec[] = settingSpecs,
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { config: { type: 'string' } };
  for (const spec of specs) {
    if (spec.kind === 'boolean') options[spec.flag] = { type: 'boolean' };
    else options[spec.flag] = spec.multiple ? { type: 'string', multiple: true } : { type: 'string' };
  }
  return options;
}
