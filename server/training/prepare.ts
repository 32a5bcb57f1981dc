import { oneHotMessage } from '../../src/protocol/trained-model.js';
import { encodeFeatures, fitCategories, isMissingCell } from './encode.js';
import { TrainingError } from './errors.js';
import { isMissingTarget, LabelEncoder } from './labels.js';
import { deriveRng } from './rng.js';
import { randomSplit, stratifiedSplit } from './split.js';
import { fitScalar, fitStandardization, standardizedMatrix } from './standardize.js';
import type { DataSplit, FeatureColumn, ResolvedSpec, TrainingData } from './types.js';

/** One side of the data, ready for the network: standardized row-major features and encoded targets. */
export interface PreparedSplit {
  rows: number;
  /** rows × featureCount, standardized with the training split's statistics. */
  X: Float64Array;
  /** Classification: class index per row. */
  labels: Int32Array | null;
  /** Regression: standardized target per row. */
  targets: Float64Array | null;
}

export interface PreparedData {
  /** Network inputs: numeric features plus one column per category of the string features. */
  featureCount: number;
  /** Per feature: its one-hot categories (string feature) or null (numeric). */
  categories: (string[] | null)[];
  train: PreparedSplit;
  validation: PreparedSplit | null;
  mean: Float64Array;
  std: Float64Array;
  targetMean: number | null;
  targetStd: number | null;
  classLabels: number[] | string[] | null;
  /** Things the user should hear about (dropped rows, split sizes). */
  messages: string[];
}

/** A split after one-hot encoding: numeric columns only. */
interface EncodedSplit {
  features: ArrayLike<number>[];
  target: DataSplit['target'];
}

/** RNG stream numbers under the spec's seed; each purpose has its own so they never shift one another. */
export const STREAM_SPLIT = 1;
export const STREAM_INIT = 2;
export const STREAM_SHUFFLE = 3;

/**
 * Drops rows with a missing target or feature, one-hot encodes string features (categories from the complete training
 * rows), encodes labels, splits off validation rows (seeded; stratified for classification) unless a validation set
 * is given, and standardizes with statistics of the training rows only. Deterministic: the same spec and data always
 * give the same result, which is what lets a checkpoint omit it.
 */
export function prepareData(spec: ResolvedSpec, data: TrainingData): PreparedData {
  const messages: string[] = [];
  const classification = spec.task === 'classification';
  const raw = checkSplit(data, 'data', data.features.length, classification);
  const candidates = completeRows(raw);
  const dropped = raw.target.length - candidates.length;
  if (dropped > 0)
    messages.push(`Dropped ${dropped} of ${raw.target.length} rows with a missing target or feature value`);
  if (candidates.length === 0) dataInvalid('no row has a target and every feature value');
  const categories = fitCategories(raw.features, candidates);
  categories.forEach((cats, f) => {
    if (cats) messages.push(oneHotMessage(spec.features[f] ?? `f${f}`, cats));
  });
  const trainSide: EncodedSplit = { features: encodeFeatures(raw.features, categories), target: raw.target };
  const d = trainSide.features.length;

  const encoder = classification ? LabelEncoder.fromTarget(trainSide.target, candidates) : null;
  if (encoder && encoder.size < 2)
    dataInvalid(`classification needs at least two classes; the target has ${encoder.size}`);

  let trainRows = candidates;
  let validationRows: Int32Array | null = null;
  const rawValidation = data.validation
    ? checkSplit(data.validation, 'validation', data.features.length, classification)
    : null;
  const validationData: EncodedSplit | null = rawValidation
    ? { features: encodeFeatures(rawValidation.features, categories), target: rawValidation.target }
    : null;
  if (validationData) {
    let rows = completeRows(validationData);
    const incomplete = validationData.target.length - rows.length;
    if (incomplete > 0) messages.push(`Dropped ${incomplete} validation rows with a missing target or feature value`);
    if (encoder) {
      const known = rows.filter((r) => encoder.encode(validationData.target[r]) >= 0);
      if (known.length < rows.length) {
        messages.push(`Dropped ${rows.length - known.length} validation rows whose class is not in the training data`);
      }
      rows = known;
    }
    validationRows = rows.length > 0 ? rows : null;
  } else if (spec.validation_split > 0) {
    const rng = deriveRng(spec.seed, STREAM_SPLIT);
    const split = encoder
      ? stratifiedSplit(
          candidates,
          encodeRows(encoder, trainSide.target, candidates),
          encoder.size,
          spec.validation_split,
          rng,
        )
      : randomSplit(candidates, spec.validation_split, rng);
    trainRows = split.train;
    validationRows = split.validation.length > 0 ? split.validation : null;
    if (!validationRows) messages.push('Too few rows for a validation split: training without validation');
  }

  const { mean, std } = fitStandardization(trainSide.features, trainRows);
  let targetMean: number | null = null;
  let targetStd: number | null = null;
  if (!encoder) {
    const t = fitScalar(trainSide.target as ArrayLike<number>, trainRows);
    targetMean = t.mean;
    targetStd = t.std;
  }
  const build = (side: EncodedSplit, rows: Int32Array): PreparedSplit => ({
    rows: rows.length,
    X: standardizedMatrix(side.features, rows, mean, std),
    labels: encoder ? encodeRows(encoder, side.target, rows) : null,
    targets: encoder ? null : standardizedTargets(side.target as ArrayLike<number>, rows, targetMean!, targetStd!),
  });
  return {
    featureCount: d,
    categories,
    train: build(trainSide, trainRows),
    validation: validationRows ? build(validationData ?? trainSide, validationRows) : null,
    mean,
    std,
    targetMean,
    targetStd,
    classLabels: encoder ? encoder.labels : null,
    messages,
  };
}

/** Checks shapes and types; regression targets become a Float64Array (NaN missing). */
function checkSplit(side: DataSplit, name: string, d: number, classification: boolean): DataSplit {
  if (side.features.length !== d) {
    dataInvalid(`${name}: expected ${d} feature columns, got ${side.features.length}`);
  }
  const n = side.target.length;
  side.features.forEach((col, c) => {
    if (col.length !== n) dataInvalid(`${name}: feature column ${c} has ${col.length} values, the target ${n}`);
  });
  if (classification) return side;
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = side.target[i];
    if (typeof v === 'number') target[i] = v;
    else if (isMissingTarget(v)) target[i] = Number.NaN;
    else dataInvalid(`${name}: regression needs a numeric target; row ${i} has ${JSON.stringify(v)}`);
  }
  return { features: side.features, target };
}

function completeRows(side: DataSplit): Int32Array {
  const n = side.target.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isMissingTarget(side.target[i]) || !featuresFinite(side.features, i)) continue;
    keep.push(i);
  }
  return Int32Array.from(keep);
}

function featuresFinite(columns: readonly FeatureColumn[], row: number): boolean {
  for (const col of columns) if (isMissingCell(col, row)) return false;
  return true;
}

function encodeRows(encoder: LabelEncoder, target: DataSplit['target'], rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = encoder.encode(target[rows[i]!]);
  return out;
}

function standardizedTargets(target: ArrayLike<number>, rows: Int32Array, mean: number, std: number): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = (target[rows[i]!]! - mean) / std;
  return out;
}

function dataInvalid(message: string): never {
  throw new TrainingError('training_data_invalid', message);
}
