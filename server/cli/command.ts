import type { Writable } from 'node:stream';

/** One `maas <command>`: its one-line summary (for `maas --help`) and how it runs; resolves to the exit code. */
export interface CliCommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Exit codes, the same for every command. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (a server error, a failed job). */
  failed: 1,
  /** Bad flags or arguments: nothing was sent to a server. */
  usage: 2,
  /** Ctrl-C (SIGINT), as a shell reports a process stopped by it: 128 + 2. */
  interrupted: 130,
} as const;

/** Where a client command writes: stdout for results, stderr for progress and errors. Tests pass their own. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr });

/** A problem with the command line itself: reported with a pointer to --help, exit 2. */
export class UsageError extends Error {}

/** Writes a usage error of `maas <command>` and returns the usage exit code. */
export function usageFailure(io: CliIO, command: string, message: string): number {
  io.stderr.write(`maas ${command}: ${message}\nRun 'maas ${command} --help' for the options.\n`);
  return EXIT.usage;
}

/** node:util parseArgs' own errors (unknown option, missing value): usage errors too. */
export function isParseArgsError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
