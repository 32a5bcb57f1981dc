import { Writable } from 'node:stream';
import type { CliIO } from '../../server/cli/command.js';

/** A client command's stdout and stderr, captured in memory (stderr a TTY or not). */
export function capture(isTTY = false): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const stderr = Object.assign(
    stream((s) => (err += s)),
    { isTTY },
  );
  return { stdout: stream((s) => (out += s)), stderr, out: () => out, err: () => err };
}
