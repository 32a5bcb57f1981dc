import { EXIT } from './command.js';

/**
 * Ctrl-C for a client command. The first SIGINT runs the current handler (`maas train`: cancel the job, then wait
 * for it to stop) or, without one, aborts `signal`; a second SIGINT always aborts. Once interrupted, the command
 * exits 130 whatever it was doing.
 */
export class Interrupt {
  private readonly controller = new AbortController();
  private count = 0;
  private handler: (() => void) | undefined;

  /** Aborted when the command should stop waiting: pass it to every SDK call. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.count > 0;
  }

  /** What the first Ctrl-C does instead of aborting (undefined: abort). */
  onFirst(handler: (() => void) | undefined): void {
    this.handler = handler;
  }

  trigger(): void {
    this.count++;
    if (this.count === 1 && this.handler) this.handler();
    else this.controller.abort(new Error('interrupted (Ctrl-C)'));
  }
}

/**
 * Runs a command with SIGINT (and `external`, which tests use in its place) turned into an Interrupt, and the exit
 * code 130 once it was interrupted. The listener lives exactly as long as the command.
 */
export async function interruptible(
  run: (interrupt: Interrupt) => Promise<number>,
  handlers: {
    /** A failure that was not caused by the interrupt: report it, return the exit code. */
    onError(err: unknown): number;
    /** The command was stopped by Ctrl-C before it could finish: say where it stopped. */
    onInterrupted(): void;
  },
  external?: AbortSignal,
): Promise<number> {
  const interrupt = new Interrupt();
  const onSignal = () => interrupt.trigger();
  process.on('SIGINT', onSignal);
  external?.addEventListener('abort', onSignal);
  try {
    const code = await run(interrupt);
    return interrupt.interrupted ? EXIT.interrupted : code;
  } catch (err) {
    if (!interrupt.interrupted) return handlers.onError(err);
    handlers.onInterrupted();
    return EXIT.interrupted;
  } finally {
    process.removeListener('SIGINT', onSignal);
    external?.removeEventListener('abort', onSignal);
  }
}
