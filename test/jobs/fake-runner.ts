import type { RunCallbacks, RunHandle, Runner, RunRequest } from '../../server/jobs/runner.js';

/** A run the test drives by hand: it reports epochs, messages and outcomes when the test says so. */
export interface FakeRun {
  request: RunRequest;
  callbacks: RunCallbacks;
  cancelRequested: boolean;
  stopped: boolean;
  epoch(n: number, loss?: number): void;
}

export function fakeRunner(): { runner: Runner; runs: FakeRun[] } {
  const runs: FakeRun[] = [];
  const runner: Runner = (request, callbacks): RunHandle => {
    const run: FakeRun = {
      request,
      callbacks,
      cancelRequested: false,
      stopped: false,
      epoch(n, loss = 1 / n) {
        callbacks.epoch(
          { epoch: n, train_loss: loss, learning_rate: 0.01, samples_per_second: 1000, elapsed_ms: n },
          { epoch: n, state: new Uint8Array([n]) },
        );
      },
    };
    runs.push(run);
    return {
      requestCancel() {
        run.cancelRequested = true;
      },
      async stop() {
        run.stopped = true;
      },
    };
  };
  return { runner, runs };
}
