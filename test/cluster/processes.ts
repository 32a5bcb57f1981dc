// `maas serve` replicas and `maas worker` processes for the multi-process suite: spawned from the TypeScript CLI,
// located by the line each prints when ready, stopped (or killed) by their own pid.
import type { ChildProcess } from 'node:child_process';
import { spawnCli } from '../support/cli.js';

export interface Proc {
  child: ChildProcess;
  /** The replica's URL, or the worker's name in job claims. */
  id: string;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `maas <args>` and resolves once a line matches `ready` (its first group is the id). */
export function start(args: string[], ready: RegExp): Promise<Proc> {
  const child = spawnCli(args);
  let text = '';
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`maas ${args[0]} not ready within 60 s:\n${text}`)), 60_000);
    const onData = (d: Buffer) => {
      text += d.toString();
      const match = ready.exec(text);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        child,
        id: match[1],
        output: () => text,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exit;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`maas ${args[0]} exited (${code}) before it was ready:\n${text}`));
    });
  });
}

/** Polls `probe` until it returns a value (not undefined), for at most `ms`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
