/** Why training could not run or finish; `code` is what a job's error reports. */
export type TrainingErrorCode =
  | 'training_spec_invalid'
  | 'training_data_invalid'
  | 'training_diverged'
  | 'checkpoint_invalid';

export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}
