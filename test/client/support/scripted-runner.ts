// A training runner that plays a job out on its own (one epoch every few ms, then a real ONNX model), so the client
// can be driven end to end against the real server's job service, store, SSE and deployment without the trainer.
import type { Runner } from '../../../server/jobs/runner.js';

export function scriptedRunner(onnx: Uint8Array, epochIntervalMs = 2): Runner {
  return (request, callbacks) => {
    let cancelRequested = false;
    let stopped = false;
    let epoch = 0;
    const tick = () => {
      if (stopped) return;
      if (cancelRequested) return callbacks.cancelled();
      epoch++;
      callbacks.epoch(
        { epoch, train_loss: 1 / epoch, learning_rate: 0.01, samples_per_second: 1000, elapsed_ms: epoch },
        { epoch, state: new Uint8Array([epoch % 256]) },
      );
      if (epoch >= request.hyperparameters.epochs) return callbacks.finished({ onnx, description: 'scripted' });
      setTimeout(tick, epochIntervalMs);
    };
    setTimeout(tick, epochIntervalMs);
    return {
      requestCancel() {
        cancelRequested = true;
      },
      async stop() {
        stopped = true;
      },
    };
  };
}
