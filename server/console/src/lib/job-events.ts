// How a job's event reads in the log: status changes, stages, one line per epoch, and messages as they are.
import type { OptimizationJobEvent, OptimizationJobStage, TrainingJobEvent } from '../../../../src/index.js';
import { formatNumber } from './format.js';

/** An optimisation job's stages, in the order it runs them, as the page names them. */
export const STAGES: readonly [OptimizationJobStage, string][] = [
  ['evaluating_parent', 'Evaluate the parent'],
  ['optimizing', 'Optimise'],
  ['evaluating_candidate', 'Evaluate the candidate'],
  ['publishing', 'Publish'],
];

/**
 * One line for the event log.
 *
 * @example eventText({ type: 'stage', stage: 'optimizing', … }) // 'stage → optimizing'
 */
export function eventText(e: TrainingJobEvent | OptimizationJobEvent): string {
  if (e.type === 'status') return `status → ${e.status}${e.message ? `: ${e.message}` : ''}`;
  if (e.type === 'stage' && 'stage' in e) return `stage → ${e.stage}`;
  if (e.type === 'metrics' && e.metrics) {
    const m = e.metrics;
    const parts = [`epoch ${m.epoch}`, `train_loss ${formatNumber(m.train_loss)}`];
    if (m.val_loss !== undefined) parts.push(`val_loss ${formatNumber(m.val_loss)}`);
    if (m.train_accuracy !== undefined) parts.push(`train_accuracy ${formatNumber(m.train_accuracy)}`);
    if (m.val_accuracy !== undefined) parts.push(`val_accuracy ${formatNumber(m.val_accuracy)}`);
    parts.push(`${Math.round(m.samples_per_second)} samples/s`);
    return parts.join(' · ');
  }
  return e.message ?? '';
}

export type StageState = 'done' | 'current' | 'pending' | 'stopped';

/**
 * Each stage's state, from the job's current stage and status: stages before the current one are done; the current
 * one is current while the job runs, done when it succeeded, stopped when it failed or was cancelled there.
 *
 * @example stageStates('optimizing', 'running') // ['done', 'current', 'pending', 'pending']
 */
export function stageStates(stage: OptimizationJobStage | null, status: string | undefined): StageState[] {
  if (status === 'succeeded') return STAGES.map(() => 'done');
  const at = stage === null ? -1 : STAGES.findIndex(([s]) => s === stage);
  const ended = status === 'failed' || status === 'cancelled';
  return STAGES.map((_, i) => {
    if (i < at) return 'done';
    if (i === at) return ended ? 'stopped' : 'current';
    return 'pending';
  });
}
