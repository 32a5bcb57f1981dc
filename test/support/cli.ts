import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** `node --import tsx server/cli.ts ...args` (the TypeScript CLI, no build needed), with extra node flags first. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), 'server/cli.ts', ...args], {
    cwd: repoRoot,
    // gRPC on a free port unless a test names one: parallel servers never compete for Triton's 8001.
    env: { MAAS_GRPC_PORT: '0', ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<CliRun> {
  return collect(spawnCli(args, options));
}

/** Resolves with the URL from the `listening on http://... (gRPC ...)` line (rejects if the process exits first). */
export function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /^listening on (http:\/\/\S+)(?: \(gRPC \S+\))?$/m.exec(out);
      if (match) resolvePromise(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`CLI exited with ${code} before listening:\n${out}\n${err}`)));
  });
}
