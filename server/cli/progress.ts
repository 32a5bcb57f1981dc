import { isDeployedMessage } from '../../src/protocol/training-job.js';
import type { OptimizationJobEvent, TrainingJobEvent } from '../../src/types.js';
import type { CliIO } from './command.js';

/**
 * A job's events on stderr: a redrawn line on a TTY (epoch, bar, loss, accuracy), one plain line per epoch otherwise,
 * and every message, stage and status change on its own line. The deploy message is left out: the command prints the
 * result itself, once, on stdout.
 */
export class Progress {
  private drawn = false;
  private readonly epochs: number;

  /** `job`: the model it deploys, and how many epochs it trains (a training job's, or a fine-tuning's). */
  constructor(
    private readonly out: CliIO['stderr'],
    private readonly job: { model: string; epochs: number },
  ) {
    this.epochs = job.epochs;
  }

  event(event: TrainingJobEvent | OptimizationJobEvent): void {
    if (event.type === 'metrics' && event.metrics) {
      const m = event.metrics;
      const width = String(this.epochs).length;
      const parts = [`epoch ${String(m.epoch).padStart(width)}/${this.epochs}`];
      if (this.out.isTTY) parts.push(bar(m.epoch / this.epochs, 20));
      parts.push(`loss ${fmt(m.train_loss)}`);
      if (m.train_accuracy !== undefined) parts.push(`acc ${fmt(m.train_accuracy)}`);
      if (m.val_loss !== undefined) parts.push(`val_loss ${fmt(m.val_loss)}`);
      if (m.val_accuracy !== undefined) parts.push(`val_acc ${fmt(m.val_accuracy)}`);
      parts.push(`${Math.round(m.samples_per_second)} samples/s`);
      const line = parts.join('  ');
      if (this.out.isTTY) {
        this.out.write(`\r${line}\x1b[K`);
        this.drawn = true;
      } else {
        this.out.write(`${line}\n`);
      }
    } else if (event.type === 'message' && event.message) {
      if (!isDeployedMessage(event.message, this.job.model)) this.note(event.message);
    } else if (event.type === 'stage' && event.stage) {
      this.note(`stage: ${event.stage.replaceAll('_', ' ')}`);
    } else if (event.type === 'status' && event.status) {
      this.note(`status: ${event.status}${event.message ? ` (${event.message})` : ''}`);
    }
  }

  note(text: string): void {
    this.end();
    this.out.write(`${text}\n`);
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

function bar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? n.toFixed(0) : n.toPrecision(4);
}
