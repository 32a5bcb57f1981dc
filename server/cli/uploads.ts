// Uploading a command's data files as datasets (train, optimize), and removing them again when no job was created.
import { readFile } from 'node:fs/promises';
import type { MaasClient } from '../../src/index.js';
import type { Dataset } from '../../src/types.js';
import { type CliIO, UsageError } from './command.js';
import type { Interrupt } from './interrupt.js';

/** Uploads each `[file, bytes]` (format from the extension), saying so on stderr; none is left behind on failure. */
export async function uploadFiles(
  client: MaasClient,
  files: ReadonlyArray<readonly [string, Uint8Array]>,
  io: CliIO,
  interrupt: Interrupt,
  command: string,
): Promise<Dataset[]> {
  const done: Dataset[] = [];
  try {
    for (const [file, bytes] of files) {
      const format = /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
      const name = file.split(/[\\/]/).pop() ?? file;
      const dataset = await client.datasets.create(bytes, { format, name }, { signal: interrupt.signal });
      io.stderr.write(`Uploaded ${file}: ${dataset.id}, ${dataset.rows} rows, ${dataset.columns.length} columns\n`);
      done.push(dataset);
    }
  } catch (err) {
    await removeUploads(client, done, io, command);
    throw err;
  }
  return done;
}

/** A job that was never created leaves no dataset behind. */
export async function removeUploads(
  client: MaasClient,
  datasets: readonly Dataset[],
  io: CliIO,
  command: string,
): Promise<void> {
  for (const d of datasets) {
    try {
      await client.datasets.delete(d.id);
      io.stderr.write(`Deleted ${d.id} again (no job was created)\n`);
    } catch {
      io.stderr.write(`maas ${command}: could not delete ${d.id}; 'DELETE /v1/datasets/${d.id}' removes it\n`);
    }
  }
}

/** A data file's bytes; a file that cannot be read is a usage error (exit 2, nothing sent). */
export async function readDataFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
