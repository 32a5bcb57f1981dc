// Knowledge distillation: the teacher (any ONNX classifier a server serves) runs batched over the transfer set, and a
// new student network is trained by server/training on its softened outputs — Hinton et al.'s T²-scaled KL —
// mixed with the hard labels by alpha where the dataset has them; rows without a label learn from the teacher
// alone. The student is exported like any trained model (server/training/export-onnx.ts).
import type { Table } from '../../src/protocol/datasets/table.js';
import { SPEC_DEFAULTS } from '../../src/protocol/training-spec.js';
import { TrainingError } from '../training/errors.js';
import { exportSpec } from '../training/export.js';
import { exportOnnx } from '../training/export-onnx.js';
import { softmaxRows } from '../training/losses.js';
import { Trainer } from '../training/trainer.js';
import type { ArchitectureSpec, EpochMetrics, OptimizerSpec } from '../training/types.js';
import { modelDataset } from './dataset-inputs.js';
import { invalidOption, OptimizeError } from './errors.js';
import { openSession, pickOutput, runOutputs, type SessionChoice } from './evaluate.js';
import { looksLikeProbabilities } from './metrics.js';
import { readLayout } from './model-layout.js';
import { type RewriteReport, rewriteReport } from './report.js';
import { parseParent, type RewriteResult } from './rewrite.js';

/** `{ type: "distill", dataset, target?, student: { architecture }, temperature, alpha, epochs, optimizer, batch_size }`. */
export interface DistillSpec {
  type?: 'distill';
  /** The transfer set (an optimisation job resolves its `dataset` id to the parsed table). */
  data: Table;
  /** The hard-label column; absent: every row learns from the teacher alone. */
  target?: string | null;
  /** The teacher's feature columns in input order; default its metadata, else every column but the target. */
  features?: string[];
  student: { architecture: ArchitectureSpec };
  /** > 0; the teacher's and the student's probabilities are softened by it (2–5 is usual). */
  temperature: number;
  /** 0..1: the weight of the hard-label loss on labelled rows. */
  alpha: number;
  epochs: number;
  optimizer?: OptimizerSpec;
  batch_size?: number;
  seed?: number;
  /** The teacher's output to learn from; default `probabilities`, else `value`, else its first FP32 output. */
  output?: string;
}

export interface DistillationReport {
  temperature: number;
  alpha: number;
  rows: number;
  labelled_rows: number;
  /** Whether the teacher's output were probabilities, or logits the distiller put through a softmax. */
  teacher_output: 'probabilities' | 'logits';
  history: EpochMetrics[];
  messages: string[];
}

export interface DistillResult extends RewriteResult {
  report: RewriteReport & { distillation: DistillationReport };
}

/**
 * Trains a student on a teacher's outputs over `spec.data`. Runs the teacher in ONNX Runtime (`session` picks its
 * options, e.g. a quantised teacher's sessionConfig), then trains synchronously.
 *
 * @example
 * const { bytes, report } = await distill(teacher, {
 *   data, target: 'label', student: { architecture: { type: 'mlp', hidden_layers: [32] } },
 *   temperature: 4, alpha: 0.3, epochs: 30,
 * });
 */
export async function distill(
  teacher: Uint8Array,
  spec: DistillSpec,
  session: SessionChoice = {},
): Promise<DistillResult> {
  checkSpec(spec);
  const layout = readLayout(parseParent(teacher));
  const target = spec.target ?? null;
  const data = modelDataset(layout, spec.data, { features: spec.features, target });
  const model = await openSession(teacher, session);
  let outputs: Awaited<ReturnType<typeof runOutputs>>;
  try {
    outputs = await runOutputs(model, data, pickOutput(layout, spec.output));
  } finally {
    await model.close();
  }
  const classes = outputs.columns;
  const classLabels =
    layout.classLabels?.length === classes ? layout.classLabels : Array.from({ length: classes }, (_, i) => i);
  const probabilities = looksLikeProbabilities(outputs.values, classes);
  // The trainer takes the teacher's rows aligned with the table's; rows the teacher did not see (a missing feature)
  // are dropped by the trainer too.
  const teacherRows = new Float64Array(spec.data.rows * classes);
  const run = Float64Array.from(outputs.values);
  if (!probabilities) softmaxRows(run, data.rows.length, classes);
  for (const [i, r] of data.rows.entries()) teacherRows.set(run.subarray(i * classes, (i + 1) * classes), r * classes);

  const messages: string[] = [];
  try {
    const trainer = new Trainer(
      {
        task: 'classification',
        features: data.features,
        target: target ?? layout.target ?? 'label',
        architecture: spec.student.architecture,
        ...(spec.optimizer ? { optimizer: spec.optimizer } : {}),
        epochs: spec.epochs,
        ...(spec.batch_size !== undefined ? { batch_size: spec.batch_size } : {}),
        validation_split: 0,
        seed: spec.seed ?? 0,
      },
      {
        features: data.columns,
        target: data.targetValues ?? new Array(spec.data.rows).fill(null),
        teacher: teacherRows,
      },
      { preset: { classLabels }, distillation: { temperature: spec.temperature, alpha: spec.alpha } },
    );
    const result = trainer.run({ onMessage: (m) => messages.push(m) });
    const bytes = exportOnnx(exportSpec(result.model!), { metadata: { distilled: 'true' } });
    const labelled = trainer.data.train.labels!.filter((l) => l >= 0).length;
    const report = rewriteReport('distill', teacher, bytes, {
      rewritten: [],
      skipped: [],
      notes: [
        `A new ${describeArchitecture(spec.student.architecture)} student trained on the teacher's outputs at ` +
          `temperature ${spec.temperature} (T²·KL), ${labelled > 0 ? `hard labels mixed in with alpha ${spec.alpha}` : 'no hard labels'}.`,
      ],
    });
    return {
      bytes,
      sessionConfig: {},
      report: {
        ...report,
        distillation: {
          temperature: spec.temperature,
          alpha: spec.alpha,
          rows: trainer.data.train.rows,
          labelled_rows: labelled,
          teacher_output: probabilities ? 'probabilities' : 'logits',
          history: result.history,
          messages,
        },
      },
    };
  } catch (err) {
    if (err instanceof TrainingError) {
      const code = err.code === 'training_spec_invalid' ? 'optimize_spec_invalid' : 'optimize_data_invalid';
      throw new OptimizeError(code, `distillation: ${err.message}`);
    }
    throw err;
  }
}

function checkSpec(spec: DistillSpec): void {
  if (spec.type !== undefined && spec.type !== 'distill') invalidOption('type', '"distill"', spec.type);
  if (!(typeof spec.temperature === 'number' && spec.temperature > 0 && Number.isFinite(spec.temperature))) {
    invalidOption('temperature', 'a finite number > 0', spec.temperature);
  }
  if (!(typeof spec.alpha === 'number' && spec.alpha >= 0 && spec.alpha <= 1)) {
    invalidOption('alpha', 'a number from 0 to 1', spec.alpha);
  }
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1) invalidOption('epochs', 'an integer >= 1', spec.epochs);
  if (typeof spec.student?.architecture !== 'object' || spec.student.architecture === null) {
    invalidOption('student.architecture', 'an architecture object', spec.student?.architecture);
  }
}

function describeArchitecture(a: ArchitectureSpec): string {
  return a.type === 'mlp' ? `MLP ${(a.hidden_layers ?? SPEC_DEFAULTS.hidden_layers).join('-')}` : a.type;
}
