import type { ActivationName } from './activations.js';
import { TrainingError } from './errors.js';
import { createDistillationHead, createHead, type Head } from './head.js';
import { Network } from './network.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { type PreparedData, type PreparedSplit, prepareData, STREAM_INIT, STREAM_SHUFFLE } from './prepare.js';
import { deriveRng, type Rng } from './rng.js';
import { resolveSpec } from './spec.js';
import type {
  DistillationOptions,
  EarlyStoppingState,
  EpochMetrics,
  ResolvedSpec,
  TrainedModel,
  TrainerState,
  TrainHooks,
  TrainingData,
  TrainingSpec,
  TrainOptions,
  TrainResult,
} from './types.js';

/** Most rows one forward/backward pass holds; bigger steps (gd, large batch_size) accumulate over chunks. */
const MAX_CHUNK_ROWS = 256;

/**
 * Mini-batch training of one network on one prepared data set, synchronous and deterministic: the same spec, data
 * and seed give bit-identical weights and metrics (timings aside), and a run resumed from any epoch's checkpoint
 * continues exactly as the uninterrupted run would have.
 *
 * Per epoch: the training rows are shuffled (seeded), cut into steps of batch_size rows (the last step may be
 * smaller; gd uses every row in one step), and each step's gradient is that of the mean loss over its rows.
 * train_loss / train_accuracy are running means over the epoch's steps (as Keras reports them); val_* come from a
 * full pass over the validation rows after the epoch. Regression losses are reported in the target's own units.
 */
export class Trainer {
  readonly spec: ResolvedSpec;
  readonly data: PreparedData;
  readonly network: Network;
  private readonly optimizer: Optimizer;
  private readonly head: Head;
  private readonly rng: Rng;
  private readonly now: () => number;
  private readonly stepRows: number;
  private readonly chunkRows: number;
  private readonly paramList: Float64Array[];
  private readonly gradList: Float64Array[];
  private readonly labelBuffer: Int32Array;
  private readonly targetBuffer: Float64Array;
  private readonly order: Int32Array;
  private readonly lossScale: number;
  private readonly fingerprint: TrainerState['fingerprint'];
  private readonly hiddenActivations: ActivationName[] | null;
  /** Parameters a preset's mask holds fixed: their indices and values, written back after every update. */
  private readonly frozen: { index: Int32Array; values: Float64Array } | null;
  private epoch = 0;
  private elapsedMs = 0;
  private early: EarlyStoppingState | null;
  private atBoundary = true;
  private resumed = false;

  constructor(spec: TrainingSpec, data: TrainingData, options: TrainOptions = {}) {
    this.spec = resolveSpec(spec, data.features.length);
    const preset = options.preset ?? null;
    const distillation = options.distillation ? checkDistillation(options.distillation, this.spec) : null;
    this.data = prepareData(this.spec, data, { preset, temperature: distillation?.temperature ?? null });
    this.now = options.now ?? (() => performance.now());
    const d = this.data;
    const outputs = d.classLabels ? d.classLabels.length : 1;
    const sizes = [d.featureCount, ...this.spec.architecture.hidden_layers, outputs];
    const nTrain = d.train.rows;
    this.stepRows = this.spec.optimizer.type === 'gd' ? nTrain : Math.min(this.spec.batch_size, nTrain);
    const capacity = Math.min(MAX_CHUNK_ROWS, Math.max(nTrain, d.validation?.rows ?? 0));
    this.chunkRows = Math.min(this.stepRows, capacity);
    this.hiddenActivations = preset?.hiddenActivations ? presetActivations(preset.hiddenActivations, sizes) : null;
    const hidden = this.hiddenActivations ?? this.spec.architecture.activation;
    this.network = new Network(sizes, hidden, capacity, options.kernels ?? 'auto');
    this.head = distillation
      ? createDistillationHead(outputs, distillation.temperature, distillation.alpha)
      : createHead(this.spec.task, this.spec.loss, outputs);
    this.optimizer = createOptimizer(this.spec.optimizer);
    this.rng = deriveRng(this.spec.seed, STREAM_SHUFFLE);
    this.paramList = [this.network.params];
    this.gradList = [this.network.grads];
    this.labelBuffer = new Int32Array(capacity);
    // Distilling, a row's target is the teacher's softened probabilities.
    this.targetBuffer = new Float64Array(distillation ? capacity * outputs : capacity);
    this.order = new Int32Array(nTrain);
    this.lossScale = d.targetStd === null ? 1 : d.targetStd * d.targetStd;
    this.fingerprint = {
      sizes,
      trainRows: nTrain,
      validationRows: d.validation?.rows ?? 0,
      seed: this.spec.seed,
      optimizer: this.spec.optimizer.type,
    };
    this.early = this.spec.early_stopping
      ? { best: Number.POSITIVE_INFINITY, bestEpoch: 0, wait: 0, stopped: false, bestParams: null }
      : null;
    if (options.resumeFrom) this.restore(options.resumeFrom);
    else if (preset?.params) this.loadParams(preset.params);
    else this.network.initialize(deriveRng(this.spec.seed, STREAM_INIT));
    this.frozen = preset?.mask ? frozenParams(preset.mask, this.network.params) : null;
  }

  /** Trains until spec.epochs, early stopping or cancellation. Throws TrainingError('training_diverged') on NaN/∞ loss. */
  run(hooks: TrainHooks = {}): TrainResult {
    if (!this.atBoundary)
      throw new Error('run: this trainer was cancelled mid-epoch; resume from a checkpoint instead');
    const shouldStop = hooks.shouldStop ?? (() => false);
    const say = (message: string) => hooks.onMessage?.(message);
    if (this.resumed) say(`Resuming after epoch ${this.epoch} (${this.network.kernels.name} kernels)`);
    else {
      // What runs, and on which kernels, first: then what was done to the data.
      say(this.describe());
      for (const m of this.data.messages) say(m);
      if (this.early && !this.data.validation) say('Early stopping watches train_loss: there is no validation data');
    }
    const history: EpochMetrics[] = [];
    const start = this.now();
    const before = this.elapsedMs;
    while (this.epoch < this.spec.epochs && !this.early?.stopped) {
      const t0 = this.now();
      const train = this.trainEpoch(shouldStop);
      if (!train) {
        this.atBoundary = false;
        say(`Cancelled during epoch ${this.epoch + 1}`);
        return { status: 'cancelled', epochs: this.epoch, stoppedEarly: false, history, model: null };
      }
      const trainMs = this.now() - t0;
      this.epoch++;
      const val = this.data.validation ? this.evaluate(this.data.validation) : null;
      if (!Number.isFinite(train.loss)) {
        throw new TrainingError(
          'training_diverged',
          `train_loss became ${train.loss} in epoch ${this.epoch}; lower the learning rate`,
        );
      }
      this.elapsedMs = before + (this.now() - start);
      const metrics: EpochMetrics = {
        epoch: this.epoch,
        train_loss: train.loss,
        ...(this.head.classification ? { train_accuracy: train.accuracy } : {}),
        ...(val ? { val_loss: val.loss } : {}),
        ...(val && this.head.classification ? { val_accuracy: val.accuracy } : {}),
        learning_rate: this.optimizer.learningRate,
        samples_per_second: trainMs > 0 ? Math.round((this.data.train.rows * 1000) / trainMs) : 0,
        elapsed_ms: Math.round(this.elapsedMs),
      };
      const stopMessage = this.updateEarlyStopping(val ? val.loss : train.loss, val ? 'val_loss' : 'train_loss');
      history.push(metrics);
      hooks.onEpoch?.(metrics, () => this.getState());
      if (stopMessage) say(stopMessage);
    }
    const restored = this.restoreBest();
    if (restored) say(restored);
    return {
      status: 'succeeded',
      epochs: this.epoch,
      stoppedEarly: this.early?.stopped ?? false,
      history,
      model: this.model(),
    };
  }

  /** The state at the last epoch boundary, as a fresh copy (see TrainerState). */
  getState(): TrainerState {
    if (!this.atBoundary) {
      throw new Error('getState: this run was cancelled mid-epoch; resume from the checkpoint of its last epoch');
    }
    const e = this.early;
    return {
      version: 1,
      epoch: this.epoch,
      params: this.network.params.slice(),
      optimizer: this.optimizer.getState(),
      rng: this.rng.getState(),
      earlyStopping: e ? { ...e, bestParams: e.bestParams ? e.bestParams.slice() : null } : null,
      elapsedMs: this.elapsedMs,
      fingerprint: { ...this.fingerprint, sizes: [...this.fingerprint.sizes] },
    };
  }

  /** The current weights with what predict/export need. */
  model(): TrainedModel {
    const d = this.data;
    return {
      task: this.spec.task,
      featureNames: [...this.spec.features],
      categories: d.categories.map((c) => (c ? [...c] : null)),
      target: this.spec.target,
      mean: d.mean.slice(),
      std: d.std.slice(),
      targetMean: d.targetMean,
      targetStd: d.targetStd,
      classLabels: d.classLabels ? ([...d.classLabels] as number[] | string[]) : null,
      sizes: [...this.network.sizes],
      hiddenActivation: this.spec.architecture.activation,
      ...(this.hiddenActivations ? { hiddenActivations: [...this.hiddenActivations] } : {}),
      output: d.classLabels ? 'probabilities' : 'values',
      params: this.network.params.slice(),
      epoch: this.early && this.early.bestEpoch > 0 && this.early.bestParams ? this.early.bestEpoch : this.epoch,
    };
  }

  /** One pass over the shuffled training rows; null when cancelled. Allocates nothing. */
  private trainEpoch(shouldStop: () => boolean): { loss: number; accuracy: number } | null {
    const train = this.data.train;
    const n = train.rows;
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = i;
    this.rng.shuffle(order);
    const net = this.network;
    const grads = net.grads;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += this.stepRows) {
      const end = Math.min(start + this.stepRows, n);
      const scale = 1 / (end - start);
      grads.fill(0);
      for (let c = start; c < end; c += this.chunkRows) {
        if (shouldStop()) return null;
        const m = Math.min(this.chunkRows, end - c);
        this.gather(train, order, c, m);
        const out = net.forward(net.input, m);
        lossSum += this.head.apply(out, this.labelBuffer, this.targetBuffer, m, net.outputGrad, scale);
        correct += this.head.correct(out, this.labelBuffer, m, this.targetBuffer);
        net.backward(net.input, m);
      }
      this.optimizer.step(this.paramList, this.gradList);
      if (this.frozen) holdFrozen(net.params, this.frozen);
    }
    return { loss: (lossSum / n) * this.lossScale, accuracy: correct / n };
  }

  /** Mean loss and accuracy over a whole split, forward only. */
  private evaluate(split: PreparedSplit): { loss: number; accuracy: number } {
    const cap = this.network.capacity;
    let lossSum = 0;
    let correct = 0;
    for (let c = 0; c < split.rows; c += cap) {
      const m = Math.min(cap, split.rows - c);
      this.gather(split, null, c, m);
      const out = this.network.forward(this.network.input, m);
      lossSum += this.head.apply(out, this.labelBuffer, this.targetBuffer, m, null, 1);
      correct += this.head.correct(out, this.labelBuffer, m, this.targetBuffer);
    }
    return { loss: (lossSum / split.rows) * this.lossScale, accuracy: correct / split.rows };
  }

  /** Copies rows order[from..from+m) (or from..from+m) of a split into the batch buffers. */
  private gather(split: PreparedSplit, order: Int32Array | null, from: number, m: number): void {
    const d = this.data.featureCount;
    const X = split.X;
    const xb = this.network.input;
    for (let i = 0; i < m; i++) {
      const r = order ? order[from + i]! : from + i;
      const src = r * d;
      const dst = i * d;
      for (let c = 0; c < d; c++) xb[dst + c] = X[src + c]!;
      if (split.labels) this.labelBuffer[i] = split.labels[r]!;
      else this.targetBuffer[i] = split.targets![r]!;
      if (split.soft) {
        const k = this.network.outputs;
        for (let j = 0; j < k; j++) this.targetBuffer[i * k + j] = split.soft[r * k + j]!;
      }
    }
  }

  /**
   * A preset's starting weights (exportSpec's layout). A regression's last layer comes in the target's own units and
   * the network predicts the standardized target, so it is unfolded: W / σ, (b − μ) / σ.
   */
  private loadParams(params: ArrayLike<number>): void {
    const p = this.network.params;
    if (params.length !== p.length) {
      throw new TrainingError(
        'training_spec_invalid',
        `the preset has ${params.length} parameters, the network ${p.length}`,
      );
    }
    p.set(params);
    const { targetMean, targetStd } = this.data;
    if (targetMean === null || targetStd === null) return;
    const last = this.network.layers.at(-1)!;
    for (let i = 0; i < last.W.length; i++) last.W[i]! /= targetStd;
    for (let j = 0; j < last.b.length; j++) last.b[j] = (last.b[j]! - targetMean) / targetStd;
  }

  /** Records the monitored loss; returns the message to emit when this epoch triggers the stop. */
  private updateEarlyStopping(value: number, name: string): string | null {
    const e = this.early;
    const rule = this.spec.early_stopping;
    if (!e || !rule) return null;
    if (value < e.best - rule.min_delta) {
      e.best = value;
      e.bestEpoch = this.epoch;
      e.wait = 0;
      if (!e.bestParams) e.bestParams = this.network.params.slice();
      else e.bestParams.set(this.network.params);
      return null;
    }
    e.wait++;
    if (e.wait < rule.patience || this.epoch >= this.spec.epochs) return null;
    e.stopped = true;
    return (
      `Early stopping after epoch ${this.epoch}: ${name} has not improved by more than ${rule.min_delta} ` +
      `for ${rule.patience} epoch${rule.patience === 1 ? '' : 's'} (best ${e.best.toPrecision(6)} at epoch ${e.bestEpoch})`
    );
  }

  /** With early stopping on, the run ends with the best epoch's weights (as scikit-learn does). */
  private restoreBest(): string | null {
    const e = this.early;
    if (!e?.bestParams || e.bestEpoch === this.epoch) return null;
    this.network.params.set(e.bestParams);
    return `Keeping the weights of epoch ${e.bestEpoch}, the best by ${this.data.validation ? 'val_loss' : 'train_loss'}`;
  }

  private restore(state: TrainerState): void {
    const fp = this.fingerprint;
    const got = state.fingerprint;
    const same =
      state.version === 1 &&
      got !== undefined &&
      got.sizes.length === fp.sizes.length &&
      got.sizes.every((s, i) => s === fp.sizes[i]) &&
      got.trainRows === fp.trainRows &&
      got.validationRows === fp.validationRows &&
      got.seed === fp.seed &&
      got.optimizer === fp.optimizer &&
      state.params.length === this.network.params.length;
    if (!same) {
      throw new TrainingError('checkpoint_invalid', 'the checkpoint was made for a different network, data or seed');
    }
    this.network.params.set(state.params);
    this.optimizer.setState(state.optimizer);
    this.rng.setState(state.rng);
    this.epoch = state.epoch;
    this.elapsedMs = state.elapsedMs;
    const e = state.earlyStopping;
    if (this.early && e) this.early = { ...e, bestParams: e.bestParams ? Float64Array.from(e.bestParams) : null };
    this.resumed = true;
  }

  private describe(): string {
    const s = this.spec;
    const shape = this.network.sizes.join(' → ');
    const act = s.architecture.type === 'mlp' ? ` ${s.architecture.activation}` : '';
    const val = this.data.validation ? `, validating on ${this.data.validation.rows}` : '';
    const batch = s.optimizer.type === 'gd' ? 'full batch' : `batch ${this.stepRows}`;
    return (
      `Training ${s.architecture.type}${act} ${shape} with ${s.optimizer.type} (${batch}, ${s.loss}) ` +
      `on ${this.data.train.rows} rows${val} (${this.network.kernels.name} kernels)`
    );
  }
}

function checkDistillation(d: DistillationOptions, spec: ResolvedSpec): DistillationOptions {
  const invalid = (message: string): never => {
    throw new TrainingError('training_spec_invalid', message);
  };
  if (spec.task !== 'classification') invalid('distillation: needs task classification');
  if (!(d.temperature > 0 && Number.isFinite(d.temperature))) invalid('temperature: expected a finite number > 0');
  if (!(d.alpha >= 0 && d.alpha <= 1)) invalid('alpha: expected a number from 0 to 1');
  return d;
}

function presetActivations(list: readonly ActivationName[], sizes: readonly number[]): ActivationName[] {
  const hidden = sizes.length - 2;
  if (list.length !== hidden) {
    throw new TrainingError(
      'training_spec_invalid',
      `the preset has ${list.length} hidden activations for ${hidden} hidden layers`,
    );
  }
  for (const a of list) {
    if (!['relu', 'tanh', 'sigmoid', 'identity'].includes(a)) {
      throw new TrainingError(
        'training_spec_invalid',
        `hidden activation ${String(a)} is not relu, tanh, sigmoid or identity`,
      );
    }
  }
  return [...list];
}

function frozenParams(mask: ArrayLike<number>, params: Float64Array): { index: Int32Array; values: Float64Array } {
  if (mask.length !== params.length) {
    throw new TrainingError(
      'training_spec_invalid',
      `the mask has ${mask.length} entries, the network ${params.length} parameters`,
    );
  }
  const index: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) index.push(i);
  const idx = Int32Array.from(index);
  return { index: idx, values: Float64Array.from(idx, (i) => params[i]!) };
}

function holdFrozen(params: Float64Array, frozen: { index: Int32Array; values: Float64Array }): void {
  const { index, values } = frozen;
  for (let k = 0; k < index.length; k++) params[index[k]!] = values[k]!;
}

/** Trains a model: new Trainer(spec, data, options).run(hooks). */
export function train(
  spec: TrainingSpec,
  data: TrainingData,
  hooks: TrainHooks = {},
  options: TrainOptions = {},
): TrainResult {
  return new Trainer(spec, data, options).run(hooks);
}
