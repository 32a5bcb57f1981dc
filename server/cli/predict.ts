// `maas predict MODEL --data FILE.csv|.jsonl` (or `--instances JSON`): TF Serving's row predict through MaasClient,
// rows built from the file's columns as the model's inputs ask, predictions printed as a table, CSV or JSON.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { Table } from '../../src/protocol/datasets/table.js';
import type { ModelMetadata } from '../../src/types.js';
import { clientFrom, clientOptionsHelp, parseClientArgs } from './client.js';
import { checkArguments, HELP, runClientWork } from './client-command.js';
import { type CliCommand, type CliIO, EXIT, processIO, UsageError, usageFailure } from './command.js';
import { textTable } from './text-table.js';

const help = `Usage: maas predict MODEL (--data FILE.csv|FILE.jsonl | --instances JSON) [options]

Sends rows to the model (TF Serving's :predict, row format) and prints one prediction per row.
A model with one input takes each row's values in column order (--features picks and orders them); a model with
one input per column (e.g. trained with string features) takes the columns named like its inputs.

Options:
  --data FILE             CSV (with a header row) or JSONL, one row per instance
  --instances JSON        The instances themselves, e.g. '[[5.1,3.5,1.4,0.2]]'
  --features A,B,...      The columns to send, in order (default: all, or the model's input names)
  --version V | --label L Which version answers (default: the model's routing)
  --format FORMAT         table (default), csv or json
  --batch N               Rows per request (default 256)
${clientOptionsHelp}

Exit codes: 0 done, 1 failed (a server error), 2 bad arguments or data, 130 interrupted (Ctrl-C).
`;

export const predictCommand: CliCommand = {
  summary: 'Predict rows of a CSV/JSONL file (or given instances) with a served model',
  run: (args) => runPredict(args, processIO()),
};

function parse(args: string[]) {
  return parseClientArgs(args, {
    data: { type: 'string' },
    instances: { type: 'string' },
    features: { type: 'string' },
    version: { type: 'string' },
    label: { type: 'string' },
    format: { type: 'string' },
    batch: { type: 'string' },
  });
}

type Format = 'table' | 'csv' | 'json';

/** `maas predict`; `signal` stands in for Ctrl-C (tests). */
export async function runPredict(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const checked = await checkArguments(io, 'predict', help, async () => {
    const { values, positionals } = parse(args);
    if (values.help) return HELP;
    if (positionals.length !== 1) throw new UsageError('usage: maas predict MODEL (--data FILE | --instances JSON)');
    if ((values.data === undefined) === (values.instances === undefined)) {
      throw new UsageError('give exactly one of --data FILE or --instances JSON');
    }
    if (values.version !== undefined && values.label !== undefined)
      throw new UsageError('give --version or --label, not both');
    const format = (values.format ?? 'table') as Format;
    if (!['table', 'csv', 'json'].includes(format))
      throw new UsageError(`--format: expected table, csv or json, got '${values.format}'`);
    const batch = Number(values.batch ?? 256);
    if (!/^[1-9]\d*$/.test(values.batch ?? '256') || batch > 100_000) {
      throw new UsageError(`--batch: expected an integer from 1 to 100000, got '${values.batch}'`);
    }
    const given = values.instances !== undefined ? instancesFrom(values.instances) : undefined;
    const table = given ? undefined : await tableFrom(values.data!);
    return { values, model: positionals[0]!, format, batch, given, table };
  });
  if (typeof checked === 'number') return checked;
  const { values, model, format, batch, given, table } = checked;
  const client = clientFrom(values);
  const target =
    values.label !== undefined
      ? { label: values.label }
      : values.version !== undefined
        ? { version: values.version }
        : {};
  return runClientWork(
    io,
    'predict',
    async (interrupt) => {
      const options = { signal: interrupt.signal };
      let instances = given;
      if (!instances) {
        const metadata = await client.models.metadata(
          model,
          values.label !== undefined ? { version: values.label } : target,
          options,
        );
        try {
          instances = rowsFor(
            table!,
            metadata,
            values.features?.split(',').map((f) => f.trim()),
          );
        } catch (err) {
          if (err instanceof UsageError) return usageFailure(io, 'predict', err.message);
          throw err;
        }
      }
      const predictions: unknown[] = [];
      for (let start = 0; start < instances.length; start += batch) {
        const { predictions: part } = await client.models.predict(
          model,
          { instances: instances.slice(start, start + batch), ...target },
          options,
        );
        predictions.push(...part);
      }
      io.stdout.write(render(predictions, format));
      return EXIT.ok;
    },
    { signal },
  );
}

function instancesFrom(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--instances: expected a JSON array of instances, got invalid JSON (${(err as Error).message})`,
    );
  }
  if (!Array.isArray(value) || value.length === 0)
    throw new UsageError('--instances: expected a non-empty JSON array of instances');
  return value;
}

async function tableFrom(file: string): Promise<Table> {
  const ext = extname(file).toLowerCase();
  const format = ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : undefined;
  if (!format) throw new UsageError(`--data: expected a .csv or .jsonl file, got '${file}'`);
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--data: cannot read ${file} (${err.code ?? err.message})`);
  });
  const parsed = parseDataset(bytes, format);
  if (!parsed.ok) {
    const first = parsed.issues
      .slice(0, 5)
      .map(
        (d) => `\n  ${d.line !== undefined ? `line ${d.line}: ` : ''}${d.column ? `${d.column}: ` : ''}${d.message}`,
      );
    throw new UsageError(`--data: ${parsed.summary}${first.join('')}`);
  }
  return parsed.table;
}

/** The rows as the model's inputs take them (see the help text); a clear usage error when they cannot fit. */
export function rowsFor(table: Table, metadata: ModelMetadata, features: string[] | undefined): unknown[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const cell = (name: string, row: number) => {
    const column = byName.get(name)!;
    const v = column.values[row];
    return typeof v === 'number' && Number.isNaN(v) ? null : v;
  };
  const pick = (names: string[]) => {
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length)
      throw new UsageError(
        `--features: no column ${unknown.map((n) => `'${n}'`).join(', ')}; the file has ${[...byName.keys()].join(', ')}`,
      );
    return names;
  };
  const inputs = metadata.inputs;
  if (inputs.length === 1 && inputs[0]!.shape.length === 2) {
    const width = inputs[0]!.shape[1]!;
    const names = pick(features ?? table.columns.map((c) => c.name));
    if (width !== -1 && names.length !== width) {
      throw new UsageError(
        `model '${metadata.name}' takes ${width} values per row; the file has ${names.length} columns (${names.join(', ')}): choose them with --features`,
      );
    }
    return Array.from({ length: table.rows }, (_, r) => names.map((n) => cell(n, r)));
  }
  const names = features ? pick(features) : inputs.map((i) => i.name);
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length) {
    throw new UsageError(
      `model '${metadata.name}' takes inputs ${inputs.map((i) => `'${i.name}'`).join(', ')}; the file has no column ${missing.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  return Array.from({ length: table.rows }, (_, r) => Object.fromEntries(names.map((n) => [n, cell(n, r)])));
}

function render(predictions: unknown[], format: Format): string {
  if (format === 'json') return `${JSON.stringify(predictions)}\n`;
  // Object predictions (one per output) get a column per output; others one PREDICTION column.
  const keys = predictions.length > 0 && isRecord(predictions[0]) ? Object.keys(predictions[0]) : ['prediction'];
  const rows = predictions.map((p, i) => [String(i + 1), ...keys.map((k) => show(isRecord(p) ? p[k] : p, format))]);
  if (format === 'csv')
    return `${['row', ...keys].join(',')}\n${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
  return textTable([['ROW', ...keys.map((k) => k.toUpperCase())], ...rows]);
}

function show(value: unknown, format: Format): string {
  if (Array.isArray(value)) {
    const parts = value.map((v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v));
    return format === 'csv' ? parts.join(';') : JSON.stringify(parts);
  }
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : String(value);
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
