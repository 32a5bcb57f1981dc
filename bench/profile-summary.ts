// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions and the files with the most self time.
// Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile... [TOP]  (several files are added up)
import { readFile } from 'node:fs/promises';
import { repoRoot } from './support/paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.cpuprofile'));
if (files.length === 0) {
  process.stderr.write('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile... [TOP]\n');
  process.exit(2);
}
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const selfUs = new Map<string, { frame: ProfileNode['callFrame']; us: number }>();
for (const file of files) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const entry = selfUs.get(key) ?? { frame, us: 0 };
    entry.us += profile.timeDeltas[i] ?? 0;
    selfUs.set(key, entry);
  });
}
const total = [...selfUs.values()].reduce((a, b) => a + b.us, 0);

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const { frame, us } of selfUs.values()) {
  const where = shorten(frame.url);
  const fn = `${frame.functionName || '(anonymous)'}  ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(where || frame.functionName, (byFile.get(where || frame.functionName) ?? 0) + us);
}

const print = (heading: string, map: Map<string, number>) => {
  process.stdout.write(`\n${heading}\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`,
    );
  }
};
process.stdout.write(`${files.join(', ')}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('self time by function', byFunction);
print('self time by file', byFile);

/** A frame's file, relative to this checkout (or from node_modules/), whichever folder it is in. */
function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/');
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
}
