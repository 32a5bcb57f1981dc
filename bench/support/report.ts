// Printing: a title, aligned tables, `ratio <what>: <x>` lines, and a JSON copy of the figures under .tmp/bench/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export type Cell = string | number;

export function title(text: string): void {
  process.stdout.write(`\n## ${text}\n\n`);
}

export function note(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A Markdown table (readable in a terminal, pasteable into docs/benchmarks.md). */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = [header, ...rows].map((row) => row.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = header.map((_, i) => Math.max(...text.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(text[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...text.slice(1).map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** `ratio <what>: <x>`, with the target verdict when one is given. */
export function ratio(what: string, value: number, target?: { op: '>=' | '<='; value: number }): void {
  let verdict = '';
  if (target) {
    const met = target.op === '>=' ? value >= target.value : value <= target.value;
    verdict = `  (target ${target.op} ${target.value}: ${met ? 'met' : 'MISSED'})`;
  }
  process.stdout.write(`ratio ${what}: ${Number.isFinite(value) ? value.toFixed(3) : String(value)}${verdict}\n`);
}

/** Numbers with sensible precision: integers as is, small values with 3 significant digits. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) || Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toPrecision(3);
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Keeps a machine-readable copy of a benchmark's figures (.tmp/ is git-ignored). */
export async function saveResults(name: string, results: unknown): Promise<void> {
  const dir = join(repoRoot, '.tmp/bench');
  await mkdir(dir, { recursive: true });
  const body = { benchmark: name, at: new Date().toISOString(), node: process.version, results };
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
}
