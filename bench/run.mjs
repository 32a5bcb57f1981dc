#!/usr/bin/env node
// `npm run bench` runs every benchmark, `npm run bench -- NAME...` some of them (server, sdk, payload, training,
// memory, engine, cluster, optimize, metrics, rollout, grpc). Each runs in its own process (`node --import tsx bench/NAME.ts`), one after the other,
// against the BUILT package: dist/ is rebuilt first when it is missing or older than src/ and server/ (BENCH_BUILD=1
// always builds, BENCH_BUILD=0 never). The output is also written to .tmp/bench/latest.log.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchmarks = [
  'server',
  'sdk',
  'payload',
  'training',
  'memory',
  'engine',
  'cluster',
  'optimize',
  'metrics',
  'rollout',
  'grpc',
];

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !benchmarks.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; choose from ${benchmarks.join(', ')}\n`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : benchmarks;

mkdirSync(join(root, '.tmp/bench'), { recursive: true });
const log = createWriteStream(join(root, '.tmp/bench/latest.log'));
const out = (text) => {
  process.stdout.write(text);
  log.write(text);
};

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function distIsStale() {
  const cli = join(root, 'dist/server/cli.js');
  if (!existsSync(cli) || !existsSync(join(root, 'dist/index.js'))) return true;
  const built = statSync(cli).mtimeMs;
  return ['src', 'server'].some((dir) => newestMtime(join(root, dir)) > built);
}

const build = process.env.BENCH_BUILD;
if (build === '1' || (build !== '0' && distIsStale())) {
  out('building dist/ (npm run build)...\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {}
out(
  `# maas benchmarks — ${new Date().toISOString()}\n` +
    `machine: ${availableParallelism()} cores (nproc), ${cpu}; Node ${process.version}; commit ${commit}; ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
);

const failed = [];
for (const name of selected) {
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.ts`)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => out(chunk.toString()));
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      log.write(chunk);
    });
    child.on('close', (exitCode) => resolve(exitCode ?? 1));
  });
  out(
    `\n(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s${code === 0 ? '' : `, FAILED with exit code ${code}`})\n`,
  );
  if (code !== 0) failed.push(name);
}
log.end();
if (failed.length > 0) {
  process.stderr.write(`benchmarks failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
