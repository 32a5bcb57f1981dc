import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { datasetExtensions } from '../datasets/service.js';
import type { DataFile, DatasetRecord } from '../store/records.js';

/** A job's own copy of a file: a hard link when possible (no bytes copied), else a copy. */
export function snapshotFile(from: string, dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  try {
    linkSync(from, path);
  } catch {
    copyFileSync(from, path);
  }
  return path;
}

/** The job's own copy of a dataset's file, so deleting the dataset does not pull rows from under it. */
export function snapshotDataset(record: DatasetRecord, dir: string, name: string): DataFile {
  const format = record.dataset.format;
  return { path: snapshotFile(record.path, dir, `${name}.${datasetExtensions[format]}`), format };
}
