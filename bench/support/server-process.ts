// A server in its own process (the built `maas serve`, or the bench's bare baseline): started, located by its
// "listening on http://..." line, measured from /proc, stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { distCli, repoRoot } from './paths.js';

export interface ServerProcess {
  readonly url: string;
  /** `HOST:PORT` of `maas serve`'s gRPC endpoint, when its listening line names one. */
  readonly grpcAddress: string | undefined;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resident set size in bytes, read from /proc (Linux). */
  rss(): Promise<number>;
  /** CPU seconds (user + system, all threads) the process has used so far, read from /proc (Linux). */
  cpuSeconds(): Promise<number>;
  /** Lines the process printed that were not the listening line. */
  readonly output: string[];
  /** Resolves with the match of the next line the process prints that matches `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** node flags before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

/** Starts `node <script> <args>` and resolves once it prints "listening on http://HOST:PORT". */
export function startServerProcess(
  script: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: repoRoot,
    env: { MAAS_GRPC_PORT: '0', ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners = new Set<(line: string) => void>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print its URL within ${options.startTimeoutMs ?? 60_000} ms:\n${tail()}`));
    }, options.startTimeoutMs ?? 60_000);
    const tail = () => output.slice(-20).join('\n');
    let url: string | undefined;
    const onLine = (line: string) => {
      const match = url === undefined ? /listening on (https?:\/\/\S+)/.exec(line) : null;
      if (match?.[1]) {
        url = match[1];
        clearTimeout(timer);
        const grpcAddress = /\(gRPC (\S+)\)/.exec(line)?.[1];
        resolve(handle(child, url, grpcAddress, output, listeners));
      } else if (line.trim()) {
        output.push(line);
        for (const listener of listeners) listener(line);
      }
    };
    lines(child.stdout!, onLine);
    lines(child.stderr!, onLine);
    child.once('exit', (code, signal) => {
      if (url !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before listening:\n${tail()}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The built CLI: `node dist/server/cli.js serve --port 0 ...`. */
export function startMaas(args: readonly string[], options: SpawnOptions = {}): Promise<ServerProcess> {
  return startServerProcess(distCli, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], options);
}

function handle(
  child: ChildProcess,
  url: string,
  grpcAddress: string | undefined,
  output: string[],
  listeners: Set<(line: string) => void>,
): ServerProcess {
  return {
    url,
    grpcAddress,
    pid: child.pid!,
    child,
    output,
    waitForLine: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (line: string) => {
          const match = pattern.exec(line);
          if (!match) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(match);
        };
        listeners.add(listener);
      }),
    rss: () => rssOf(child.pid!),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

/** utime + stime from /proc/PID/stat, in clock ticks of 1/100 s (USER_HZ on Linux). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  });
}
