import type { ErrorDetail } from '../../src/protocol/contract-error.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import {
  type ColumnStats,
  type DatasetColumn,
  type DatasetFormat,
  describeColumns,
} from '../../src/protocol/datasets/table.js';

/** What the dataset service keeps of an upload: its shape and per-column facts, or why it was rejected. */
export type UploadSummary =
  | { ok: true; rows: number; columns: DatasetColumn[]; stats: ColumnStats[] }
  | { ok: false; issues: ErrorDetail[]; invalidRows: number; summary: string };

/** parseDataset without the rows: small enough to post back from a worker thread. */
export function summarizeDataset(bytes: Uint8Array, format: DatasetFormat): UploadSummary {
  const parsed = parseDataset(bytes, format);
  if (!parsed.ok) return parsed;
  return { ok: true, rows: parsed.table.rows, columns: describeColumns(parsed.table), stats: parsed.stats };
}
