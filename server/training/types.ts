import type { EpochMetrics } from '../../src/types.js';
import type { ActivationName } from './activations.js';
import type { OptimizerState } from './optimizers.js';

export type { EpochMetrics };
export type Task = 'classification' | 'regression';
export type LossName = 'cross_entropy' | 'mse';
export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid';

// ---------------------------------------------------------------------------------------------------------------
// Input: the training spec (the API's snake_case body; the job service's resolved hyperparameters fit as they are)
// ---------------------------------------------------------------------------------------------------------------

/** `linear` and `logistic` have no hidden layer; the task, not the architecture, picks the output (see OutputKind). */
export type ArchitectureSpec =
  | { type: 'linear' }
  | { type: 'logistic' }
  | { type: 'mlp'; hidden_layers?: number[]; activation?: HiddenActivation };

export type OptimizerSpec =
  | { type: 'gd'; learning_rate?: number }
  | { type: 'sgd'; learning_rate?: number; momentum?: number; nesterov?: boolean }
  | { type: 'adam'; learning_rate?: number; beta1?: number; beta2?: number; epsilon?: number; weight_decay?: number };

/**
 * What to train. Omitted fields take the API's defaults (SPEC_DEFAULTS in src/protocol/training-spec.ts: mlp 64-64
 * relu, adam, 20 epochs, batch 32, validation_split 0.2, loss by task), except the names and the seed below.
 */
export interface TrainingSpec {
  task: Task;
  /** Feature names in input order; default f0, f1, … (they name the export's inputs and columns). */
  features?: string[];
  /** Default 'target' (it labels the export). */
  target?: string;
  architecture?: ArchitectureSpec;
  optimizer?: OptimizerSpec;
  loss?: LossName;
  epochs?: number;
  /** Ignored by `gd` (full batch). */
  batch_size?: number;
  /** Ignored when data.validation is given. Stratified for classification. */
  validation_split?: number;
  early_stopping?: { patience: number; min_delta?: number } | null;
  /** Default 0 for a direct caller, so a run is reproducible (the API picks a random one and reports it). */
  seed?: number;
}

/** The spec with every default filled in. */
export interface ResolvedSpec {
  task: Task;
  features: string[];
  target: string;
  architecture: { type: 'linear' | 'logistic' | 'mlp'; hidden_layers: number[]; activation: HiddenActivation };
  optimizer:
    | { type: 'gd'; learning_rate: number }
    | { type: 'sgd'; learning_rate: number; momentum: number; nesterov: boolean }
    | { type: 'adam'; learning_rate: number; beta1: number; beta2: number; epsilon: number; weight_decay: number };
  loss: LossName;
  epochs: number;
  /** Rows per optimizer step as asked (default 32); `gd` steps on every training row whatever this says. */
  batch_size: number;
  validation_split: number;
  early_stopping: { patience: number; min_delta: number } | null;
  seed: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Input: the data, column by column
// ---------------------------------------------------------------------------------------------------------------

/**
 * One feature column: numbers (NaN, or any non-finite value, is a missing cell), or strings — a category column,
 * one-hot encoded for the network (null, undefined and '' are missing cells). See encode.ts.
 */
export type FeatureColumn = ArrayLike<number> | StringFeatureColumn;
export type StringFeatureColumn = ReadonlyArray<string | null | undefined>;
/** Target column: numbers (NaN missing), or for classification class labels (strings or numbers; null/'' missing). */
export type TargetColumn = ArrayLike<number> | ReadonlyArray<string | number | null | undefined>;

export interface DataSplit {
  /** One column per feature, in spec.features order, all the same length. */
  features: readonly FeatureColumn[];
  /** With distillation, a row's target may be missing: the row then learns from the teacher alone. */
  target: TargetColumn;
  /**
   * Distillation only: the teacher's probabilities per row (rows × classes, row-major, classes in
   * TrainingPreset.classLabels order), at temperature 1 — the trainer softens them.
   */
  teacher?: ArrayLike<number> | null;
}

export interface TrainingData extends DataSplit {
  /** A separate validation set; when given, validation_split is not used. */
  validation?: DataSplit | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Running: hooks, checkpoints, results
// ---------------------------------------------------------------------------------------------------------------

export interface TrainHooks {
  /**
   * After every completed epoch. `checkpoint()` returns the trainer state at this epoch boundary (a fresh copy);
   * call it only if you mean to keep it.
   */
  onEpoch?(metrics: EpochMetrics, checkpoint: () => TrainerState): void;
  /** Human-readable notes: dropped rows, validation set size, early stopping. */
  onMessage?(message: string): void;
  /** Polled before every batch (and every chunk of a large batch); true stops with status 'cancelled'. */
  shouldStop?(): boolean;
}

export interface TrainOptions {
  /** Continue from a checkpoint taken by `onEpoch`/`getState()` with the same spec and data. */
  resumeFrom?: TrainerState | null;
  /** Clock for samples_per_second and elapsed_ms (ms); default performance.now. */
  now?: () => number;
  /**
   * Matrix kernels: 'auto' (default) uses WebAssembly SIMD when available, 'js' the plain JavaScript ones. Both give
   * bit-identical results, so this only changes speed (and a checkpoint from one resumes exactly on the other).
   */
  kernels?: 'auto' | 'wasm' | 'js';
  /** Start from an existing model instead of from scratch (fine-tuning, a distilled student's labels). */
  preset?: TrainingPreset | null;
  /** Train on a teacher's softened outputs (`data.teacher`), mixed with the hard labels where there are any. */
  distillation?: DistillationOptions | null;
}

/**
 * What an existing model fixes, so training continues it rather than starting over. Every field is optional; what is
 * given is used as is instead of being fitted on the training rows or drawn from the seed.
 */
export interface TrainingPreset {
  /** The network inputs' standardization (after one-hot encoding): x′ = (x − mean) / std. */
  standardization?: { mean: ArrayLike<number>; std: ArrayLike<number> } | null;
  /** Per feature: the one-hot categories of a string feature, null for a numeric one. */
  categories?: readonly (readonly string[] | null)[] | null;
  /** Classification: the labels in output order; training rows with another label are dropped. */
  classLabels?: number[] | string[] | null;
  /** Per hidden layer, overriding the spec's one activation (identity = a linear hidden layer). */
  hiddenActivations?: readonly ActivationName[] | null;
  /**
   * Starting weights in the exported layout (per layer W inputs×outputs row-major, then b; the last layer of a
   * regression in the target's own units, as exportSpec writes it), instead of the seeded initialization.
   */
  params?: ArrayLike<number> | null;
  /**
   * Same layout as params: 0 holds that parameter at its starting value through every update (pruned weights stay
   * exactly zero, a bias the graph does not have stays absent), 1 trains it.
   */
  mask?: ArrayLike<number> | null;
}

/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015). Per row, with q = softmax(log p_teacher / T) and
 * p_T = softmax(z / T):
 *   labelled:   ℓ = α · (−log softmax(z)[label]) + (1 − α) · T² · KL(q ‖ p_T)
 *   unlabelled: ℓ = T² · KL(q ‖ p_T)
 * The T² keeps the soft term's gradient on the hard term's scale as T changes.
 */
export interface DistillationOptions {
  /** > 0; 1 uses the teacher's probabilities as they are, higher values soften them. */
  temperature: number;
  /** 0..1: the weight of the hard-label loss on rows that have a label. */
  alpha: number;
}

/**
 * Everything needed to continue a run exactly where it stopped: a plain object of numbers, strings and typed arrays
 * (structured-clone and v8.serialize friendly). The data split and standardization are not stored: they are
 * recomputed from the same data and seed, deterministically.
 */
export interface TrainerState {
  version: 1;
  /** Completed epochs. */
  epoch: number;
  /** Flat parameters: per layer W (inputs×outputs row-major) then b. */
  params: Float64Array;
  optimizer: OptimizerState;
  /** The shuffling RNG (xoshiro128** words). */
  rng: Uint32Array;
  earlyStopping: EarlyStoppingState | null;
  /** Training time already spent, so elapsed_ms keeps counting across a resume. */
  elapsedMs: number;
  /** What the state was made for; a resume with a different network or data is refused. */
  fingerprint: { sizes: number[]; trainRows: number; validationRows: number; seed: number; optimizer: string };
}

export interface EarlyStoppingState {
  best: number;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  stopped: boolean;
  bestParams: Float64Array | null;
}

export type TrainStatus = 'succeeded' | 'cancelled';

export interface TrainResult {
  status: TrainStatus;
  /** Completed epochs (including those before a resume). */
  epochs: number;
  stoppedEarly: boolean;
  /** The metrics of the epochs this call ran. */
  history: EpochMetrics[];
  /** The trained model; null when cancelled. */
  model: TrainedModel | null;
}

/** `probabilities`: softmax over classLabels (classification); `values`: the regression prediction. */
export type OutputKind = 'probabilities' | 'values';

/** The trained network in training precision (float64), with everything needed to predict or export it. */
export interface TrainedModel {
  task: Task;
  featureNames: string[];
  /** Per feature: the one-hot categories of a string feature (sorted), null for a numeric one. */
  categories: (string[] | null)[];
  target: string;
  /**
   * Standardization of the network's inputs (numeric features and one-hot columns, in feature order) from the
   * training split: x′ = (x − mean) / std (std 0 replaced by 1).
   */
  mean: Float64Array;
  std: Float64Array;
  /** Regression only: the network predicts (y − targetMean) / targetStd; null for classification. */
  targetMean: number | null;
  targetStd: number | null;
  /** Classification only: sorted unique labels; output j is the probability of classLabels[j]. */
  classLabels: number[] | string[] | null;
  /** [network inputs (after one-hot encoding), hidden..., outputs]. */
  sizes: number[];
  hiddenActivation: HiddenActivation;
  /** Per hidden layer, when they differ (a preset's); otherwise every hidden layer uses hiddenActivation. */
  hiddenActivations?: ActivationName[];
  output: OutputKind;
  params: Float64Array;
  /** Epoch whose weights these are (the best epoch when early stopping restored weights). */
  epoch: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Output for the ONNX exporter
// ---------------------------------------------------------------------------------------------------------------

export type ExportActivation = 'relu' | 'tanh' | 'sigmoid' | 'identity' | 'softmax';

/**
 * A plain description of the trained model, in float32, that the ONNX exporter turns into a graph:
 *
 *   input  "input": float32 [N, featureNames.length], columns in featureNames order (raw, unstandardized values);
 *          with a string feature, one input per feature instead (see export-onnx.ts), strings one-hot encoded
 *   x = (input − mean) / std                         (Sub, Div; std already has zeros replaced by 1)
 *   for each layer: x = activation(x · W + b)        (Gemm with transB = 0, then Relu/Tanh/Sigmoid/Softmax(axis=1);
 *                                                     identity = nothing)
 *   output: float32 [N, layers[last].outputs]        probabilities (softmax over classLabels, in that order)
 *                                                     or regression values in the target's own units
 *
 * The regression target's de-standardization is already folded into the last layer's W and b, so the exporter
 * needs nothing beyond this. Weights are the float64 training weights rounded once to float32.
 */
export interface ExportedModel {
  formatVersion: 1;
  task: Task;
  featureNames: string[];
  /** Per feature: the one-hot categories of a string feature, null for a numeric one. */
  categories: (string[] | null)[];
  target: string;
  /** Per network input (after one-hot encoding). */
  mean: Float32Array;
  std: Float32Array;
  layers: ExportedLayer[];
  /** Classification: labels in output order (numbers when the target column was numeric); regression: null. */
  classLabels: number[] | string[] | null;
  output: OutputKind;
}

export interface ExportedLayer {
  inputs: number;
  outputs: number;
  /** inputs × outputs, row-major: W[i * outputs + j] connects input i to output j. */
  W: Float32Array;
  b: Float32Array;
  activation: ExportActivation;
}

/** predict(): one row of `columns` outputs per input row, row-major. */
export interface Prediction {
  rows: number;
  columns: number;
  /** rows × columns: probabilities (classification) or values (regression). */
  values: Float64Array;
  /** Classification: the most probable label per row; regression: null. */
  labels: (number | string)[] | null;
}
