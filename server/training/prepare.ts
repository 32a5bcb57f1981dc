import { oneHotMessage } from '../../src/protocol/trained-model.js';
import { encodeFeatures, fitCategories, isMissingCell } from './encode.js';
import { TrainingError } from './errors.js';
import { isMissingTarget, LabelEncoder } from './labels.js';
import { softenRows } from './losses.js';
import { deriveRng } from './rng.js';
import { randomSplit, stratifiedSplit } from './split.js';
import { fitScalar, fitStandardization, standardizedMatrix } from './standardize.js';
import type { DataSplit, FeatureColumn, ResolvedSpec, TrainingData, TrainingPreset } from './types.js';

/** One side of the data, ready for the network: standardized row-major features and encoded targets. */
export interface PreparedSplit {
  rows: number;
  /** rows × featureCount, standardized with the training split's statistics. */
  X: Float64Array;
  /** Classification: class index per row. */
  labels: Int32Array | null;
  /** Regression: standardized target per row. */
  targets: Float64Array | null;
  /** Distillation: the teacher's probabilities softened at the temperature, rows × classes. */
  soft: Float64Array | null;
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
  teacher: ArrayLike<number> | null;
}

/** What a caller fixes instead of fitting it (TrainOptions.preset), and the distillation temperature. */
export interface PrepareSetup {
  preset?: TrainingPreset | null;
  /** Set when distilling: rows need no target, `teacher` is required and softened at this temperature. */
  temperature?: number | null;
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
 *
 * A preset's categories, class labels and standardization are used instead of being fitted. Distilling
 * (setup.temperature), a row needs its features but not its target, and the split is random (not stratified).
 */
export function prepareData(spec: ResolvedSpec, data: TrainingData, setup: PrepareSetup = {}): PreparedData {
  const messages: string[] = [];
  const classification = spec.task === 'classification';
  const preset = setup.preset ?? null;
  const distilling = setup.temperature !== undefined && setup.temperature !== null;
  const raw = checkSplit(data, 'data', data.features.length, classification);
  const candidates = completeRows(raw, distilling);
  const dropped = raw.target.length - candidates.length;
  if (dropped > 0) {
    const what = distilling ? 'a missing feature value' : 'a missing target or feature value';
    messages.push(`Dropped ${dropped} of ${raw.target.length} rows with ${what}`);
  }
  if (candidates.length === 0)
    dataInvalid(`no row has ${distilling ? 'every feature value' : 'a target and every feature value'}`);
  const categories = preset?.categories
    ? presetCategories(preset.categories, raw.features.length)
    : fitCategories(raw.features, candidates);
  categories.forEach((cats, f) => {
    if (cats) messages.push(oneHotMessage(spec.features[f] ?? `f${f}`, cats));
  });
  const trainSide: EncodedSplit = {
    features: encodeFeatures(raw.features, categories),
    target: raw.target,
    teacher: raw.teacher ?? null,
  };
  const d = trainSide.features.length;

  if (preset?.classLabels && !classification) dataInvalid('class labels were given for a regression');
  const encoder = classification
    ? preset?.classLabels
      ? new LabelEncoder(preset.classLabels)
      : LabelEncoder.fromTarget(trainSide.target, candidates)
    : null;
  if (encoder && encoder.size < 2)
    dataInvalid(`classification needs at least two classes; the target has ${encoder.size}`);
  if (distilling) checkTeacher(trainSide, 'data', encoder);
  let rows = candidates;
  const classes = `among the model's (${encoder?.labels.join(', ')})`;
  if (encoder && preset?.classLabels) {
    rows = knownLabels(encoder, trainSide.target, rows, distilling, messages, '', classes);
    if (rows.length === 0) dataInvalid(`no row's class is ${classes}`);
  }

  let trainRows = rows;
  let validationRows: Int32Array | null = null;
  const rawValidation = data.validation
    ? checkSplit(data.validation, 'validation', data.features.length, classification)
    : null;
  const validationData: EncodedSplit | null = rawValidation
    ? {
        features: encodeFeatures(rawValidation.features, categories),
        target: rawValidation.target,
        teacher: rawValidation.teacher ?? null,
      }
    : null;
  if (validationData) {
    if (distilling) checkTeacher(validationData, 'validation', encoder);
    let kept = completeRows(validationData, distilling);
    const incomplete = validationData.target.length - kept.length;
    if (incomplete > 0) messages.push(`Dropped ${incomplete} validation rows with a missing target or feature value`);
    if (encoder) {
      const among = preset?.classLabels ? classes : 'in the training data';
      kept = knownLabels(encoder, validationData.target, kept, distilling, messages, 'validation ', among);
    }
    validationRows = kept.length > 0 ? kept : null;
  } else if (spec.validation_split > 0) {
    const rng = deriveRng(spec.seed, STREAM_SPLIT);
    const split =
      encoder && !distilling
        ? stratifiedSplit(rows, encodeRows(encoder, trainSide.target, rows), encoder.size, spec.validation_split, rng)
        : randomSplit(rows, spec.validation_split, rng);
    trainRows = split.train;
    validationRows = split.validation.length > 0 ? split.validation : null;
    if (!validationRows) messages.push('Too few rows for a validation split: training without validation');
  }
  if (trainRows.length === 0) dataInvalid('no training row is left');

  const { mean, std } = preset?.standardization
    ? presetStandardization(preset.standardization, d)
    : fitStandardization(trainSide.features, trainRows);
  let targetMean: number | null = null;
  let targetStd: number | null = null;
  if (!encoder) {
    const t = fitScalar(trainSide.target as ArrayLike<number>, trainRows);
    targetMean = t.mean;
    targetStd = t.std;
  }
  const classCount = encoder?.size ?? 0;
  const build = (side: EncodedSplit, rows: Int32Array): PreparedSplit => ({
    rows: rows.length,
    X: standardizedMatrix(side.features, rows, mean, std),
    labels: encoder ? encodeRows(encoder, side.target, rows) : null,
    targets: encoder ? null : standardizedTargets(side.target as ArrayLike<number>, rows, targetMean!, targetStd!),
    soft: distilling ? softTargets(side.teacher!, rows, classCount, setup.temperature!) : null,
  });
  const train = build(trainSide, trainRows);
  if (distilling) {
    const labelled = train.labels!.filter((label) => label >= 0).length;
    messages.push(`Distilling at temperature ${setup.temperature} on ${train.rows} rows, ${labelled} of them labelled`);
  }
  return {
    featureCount: d,
    categories,
    train,
    validation: validationRows ? build(validationData ?? trainSide, validationRows) : null,
    mean,
    std,
    targetMean,
    targetStd,
    classLabels: encoder ? encoder.labels : null,
    messages,
  };
}

/**
 * Rows whose label is one of the encoder's classes. Distilling, a row with another label (or none) stays, without a
 * label; otherwise it is dropped, with a message.
 */
function knownLabels(
  encoder: LabelEncoder,
  target: DataSplit['target'],
  rows: Int32Array,
  distilling: boolean,
  messages: string[],
  side: string,
  classes: string,
): Int32Array {
  const known = rows.filter((r) => isMissingTarget(target[r]) || encoder.encode(target[r]) >= 0);
  const unknown = rows.length - known.length;
  if (unknown === 0) return rows;
  if (distilling) {
    messages.push(`${unknown} ${side}rows have a label that is not ${classes}: they learn from the teacher alone`);
    return rows;
  }
  messages.push(`Dropped ${unknown} ${side}rows whose class is not ${classes}`);
  return known;
}

function checkTeacher(side: EncodedSplit, name: string, encoder: LabelEncoder | null): void {
  if (!encoder) dataInvalid('distillation needs a classification task with the class labels given');
  const n = side.target.length;
  const t = side.teacher;
  if (!t) dataInvalid(`${name}: distillation needs the teacher's probabilities for every row`);
  if (t.length !== n * encoder.size) {
    dataInvalid(`${name}: expected ${n} × ${encoder.size} teacher probabilities, got ${t.length}`);
  }
  for (let i = 0; i < t.length; i++) {
    if (!(t[i]! >= 0 && t[i]! <= 1)) {
      dataInvalid(`${name}: teacher probability ${i} (row ${Math.floor(i / encoder.size)}) is ${t[i]}, not in [0, 1]`);
    }
  }
}

function softTargets(teacher: ArrayLike<number>, rows: Int32Array, classes: number, temperature: number): Float64Array {
  const out = new Float64Array(rows.length * classes);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]! * classes;
    for (let j = 0; j < classes; j++) out[i * classes + j] = teacher[src + j]!;
  }
  softenRows(out, rows.length, classes, temperature);
  return out;
}

function presetCategories(categories: readonly (readonly string[] | null)[], features: number): (string[] | null)[] {
  if (categories.length !== features) {
    dataInvalid(`the preset has categories for ${categories.length} features, the data ${features} feature columns`);
  }
  return categories.map((c) => (c ? [...c] : null));
}

function presetStandardization(
  s: { mean: ArrayLike<number>; std: ArrayLike<number> },
  d: number,
): { mean: Float64Array; std: Float64Array } {
  if (s.mean.length !== d || s.std.length !== d) {
    dataInvalid(`the preset standardizes ${s.mean.length} inputs, the data has ${d} after encoding`);
  }
  return { mean: Float64Array.from(s.mean), std: Float64Array.from(s.std, (v) => (v === 0 ? 1 : v)) };
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
  return { features: side.features, target, teacher: side.teacher ?? null };
}

/** Rows with every feature (and, unless `targetOptional`, the target). */
function completeRows(side: DataSplit | EncodedSplit, targetOptional = false): Int32Array {
  const n = side.target.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((!targetOptional && isMissingTarget(side.target[i])) || !featuresFinite(side.features, i)) continue;
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
