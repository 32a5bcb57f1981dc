/**
 * Training math for MaaS: dense networks (linear, softmax regression, MLP) trained with GD/SGD/Adam on float64
 * buffers, seeded and resumable. Pure compute: no I/O, no threads (see README.md). The job worker wraps
 * `Trainer`/`train`; the ONNX exporter consumes `exportSpec`.
 */
export { type ActivationName, activateInPlace, activationBackward, sigmoid } from './activations.js';
export { TrainingError, type TrainingErrorCode } from './errors.js';
export { exportSpec } from './export.js';
export { createHead, type Head } from './head.js';
export { glorotUniform, heUniform } from './init.js';
export { allocateBuffers, jsKernels, type KernelChoice, type Kernels } from './kernels.js';
export { isMissingTarget, LabelEncoder } from './labels.js';
export { Dense } from './layers.js';
export { argmaxRow, countCorrect, identityMse, softmaxCrossEntropy, softmaxMse, softmaxRows } from './losses.js';
export { accumulateBiasGrad, accumulateWeightGrad, affineForward, backpropInput } from './matrix.js';
export { Network } from './network.js';
export {
  Adam,
  createOptimizer,
  GradientDescent,
  type Optimizer,
  type OptimizerState,
  Sgd,
} from './optimizers.js';
export { predict } from './predict.js';
export { type PreparedData, type PreparedSplit, prepareData } from './prepare.js';
export { deriveRng, Rng } from './rng.js';
export { resolveSpec } from './spec.js';
export { randomSplit, stratifiedSplit } from './split.js';
export { fitScalar, fitStandardization, standardizedMatrix } from './standardize.js';
export { Trainer, train } from './trainer.js';
export type * from './types.js';
