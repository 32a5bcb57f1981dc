// The frame every client command (train, jobs, models, predict) shares: arguments checked before anything is sent
// (--help prints the help, a usage problem exits 2), then the work with Ctrl-C handled (exit 130) and an SDK error
// as one readable message on stderr (exit 1).
import { describeError } from './client.js';
import { type CliIO, EXIT, isParseArgsError, UsageError, usageFailure } from './command.js';
import { type Interrupt, interruptible } from './interrupt.js';

/** Returned by a command's argument check when --help was asked for. */
export const HELP = Symbol('help');

/** Runs `check` (parse and validate the arguments): its value, or the exit code once help or a usage error was printed. */
export async function checkArguments<T>(
  io: CliIO,
  command: string,
  help: string,
  check: () => T | typeof HELP | Promise<T | typeof HELP>,
): Promise<T | number> {
  try {
    const checked = await check();
    if (checked !== HELP) return checked;
    io.stdout.write(help);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) return usageFailure(io, command, (err as Error).message);
    throw err;
  }
}

/**
 * Runs a command's work; a failure is `maas COMMAND: message` on stderr (exit 1), Ctrl-C is `interrupted()`'s line
 * (default `maas COMMAND: interrupted`, exit 130). `signal` stands in for Ctrl-C (tests).
 */
export function runClientWork(
  io: CliIO,
  command: string,
  work: (interrupt: Interrupt) => Promise<number>,
  options: { signal?: AbortSignal | undefined; interrupted?: () => string } = {},
): Promise<number> {
  return interruptible(
    work,
    {
      onError(err) {
        io.stderr.write(`maas ${command}: ${describeError(err)}\n`);
        return EXIT.failed;
      },
      onInterrupted() {
        io.stderr.write(`${options.interrupted?.() ?? `maas ${command}: interrupted`}\n`);
      },
    },
    options.signal,
  );
}
