import { describe, expect, it } from 'vitest';
import { distill } from '../../server/optimize/distill.js';
import { evaluateVersion } from '../../server/optimize/evaluate.js';
import { readLayout } from '../../server/optimize/model-layout.js';
import { parseParent } from '../../server/optimize/rewrite.js';
import { blobs } from '../training/synthetic.js';
import {
  chainModel,
  DIGITS_TEST,
  DIGITS_TRAIN,
  headRows,
  keepLabels,
  numericTable,
  readTable,
  trainedModel,
} from './support.js';

const train = readTable(DIGITS_TRAIN);
const test = readTable(DIGITS_TEST);
const adam = { type: 'adam' as const, learning_rate: 0.003 };
const teacher = trainedModel(train, {
  task: 'classification',
  target: 'label',
  architecture: { type: 'mlp', hidden_layers: [128] },
  optimizer: adam,
  epochs: 15,
});
const student = { type: 'mlp' as const, hidden_layers: [16] };

async function accuracy(bytes: Uint8Array): Promise<number> {
  return (await evaluateVersion(bytes, test, { latency: false })).metrics.accuracy!;
}

describe('distillation on digits', () => {
  it('with 100 labels, a distilled student beats the same student trained on those labels by more than 3 points', async () => {
    const labels = 100;
    const distilled = await distill(teacher, {
      data: keepLabels(train, 'label', labels),
      target: 'label',
      student: { architecture: student },
      temperature: 4,
      alpha: 0.3,
      epochs: 12,
      optimizer: adam,
    });
    // The baseline gets as many optimizer steps: 12 epochs over every row is ≈ 172 epochs over 100.
    const steps = Math.round((12 * train.rows) / labels);
    const hard = trainedModel(headRows(train, labels), {
      task: 'classification',
      target: 'label',
      architecture: student,
      optimizer: adam,
      epochs: steps,
    });
    const d = await accuracy(distilled.bytes);
    const h = await accuracy(hard);
    expect(d).toBeGreaterThan(h + 0.03);
    expect(d).toBeGreaterThan((await accuracy(teacher)) - 0.04);
    const report = distilled.report.distillation;
    expect(report.labelled_rows).toBe(labels);
    expect(report.rows).toBe(train.rows);
    expect(report.teacher_output).toBe('probabilities');
    expect(report.history).toHaveLength(12);
    expect(report.messages).toContain(`Distilling at temperature 4 on ${train.rows} rows, ${labels} of them labelled`);
    expect(distilled.report.method).toBe('distill');
    expect(distilled.report.parameters.after).toBeLessThan(distilled.report.parameters.before / 5);
    // The student is a model like any the server trains: same inputs, labels and metadata.
    const layout = readLayout(parseParent(distilled.bytes));
    expect(layout.inputs).toEqual(readLayout(parseParent(teacher)).inputs);
    expect(layout.classLabels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(layout.metadata.distilled).toBe('true');
  });

  it('learns from unlabelled transfer data when no target is given', async () => {
    const distilled = await distill(teacher, {
      data: keepLabels(train, 'label', 0),
      student: { architecture: student },
      temperature: 3,
      alpha: 0.5,
      epochs: 10,
      optimizer: adam,
    });
    expect(distilled.report.distillation.labelled_rows).toBe(0);
    const result = await evaluateVersion(distilled.bytes, test, { latency: false });
    const reference = await evaluateVersion(teacher, test, { latency: false });
    expect(result.metrics.accuracy!).toBeGreaterThan(reference.metrics.accuracy! - 0.05);
  });
});

describe('distillation inputs', () => {
  it('softmaxes a teacher that outputs logits, and says so', async () => {
    const data = blobs(
      6,
      50,
      [
        [0, 0, 0, 0],
        [3, 0, 0, 0],
        [0, 3, 0, 0],
      ],
      [0, 1, 2],
    );
    const table = numericTable(Object.fromEntries(['a', 'b', 'c', 'd'].map((name, i) => [name, data.features[i]!])));
    const logits = chainModel('none');
    const distilled = await distill(logits, {
      data: table,
      student: { architecture: { type: 'mlp', hidden_layers: [16] } },
      temperature: 2,
      alpha: 0,
      epochs: 40,
      optimizer: { type: 'adam', learning_rate: 0.02 },
    });
    const report = distilled.report.distillation;
    expect(report.teacher_output).toBe('logits');
    // No labels: train_accuracy is agreement with the teacher's top class.
    expect(report.history.at(-1)!.train_accuracy).toBeGreaterThan(0.85);
    expect(report.history.at(-1)!.train_loss).toBeLessThan(report.history[0]!.train_loss / 2);
  });

  it('names the option at fault', async () => {
    const base = { data: train, student: { architecture: student }, temperature: 2, alpha: 0.5, epochs: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ temperature: 0 }, 'temperature: expected a finite number > 0, got 0'],
      [{ alpha: 1.5 }, 'alpha: expected a number from 0 to 1, got 1.5'],
      [{ epochs: 0.5 }, 'epochs: expected an integer >= 1, got 0.5'],
      [{ student: {} }, 'student.architecture: expected an architecture object, got nothing'],
    ];
    for (const [change, message] of cases) {
      await expect(distill(teacher, { ...base, ...change } as never)).rejects.toMatchObject({
        code: 'optimize_spec_invalid',
        message,
        field: message.split(':')[0],
      });
    }
    await expect(distill(teacher, { ...base, target: 'digit' })).rejects.toMatchObject({
      code: 'optimize_data_invalid',
      message: "column 'digit' is not in the data",
    });
  });
});
