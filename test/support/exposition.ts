// A strict reader of the Prometheus text exposition format 0.0.4, for tests (promtool is not part of the toolchain):
// it throws on anything `promtool check metrics` would reject as malformed — bad names, bad label syntax or escapes,
// unparsable values, a family's lines not together, a second TYPE/HELP, samples before their TYPE, duplicate series,
// histograms whose buckets are not cumulative, lack `+Inf`, or disagree with `_count` — and on counters whose names
// do not end in `_total` (promtool's lint).

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string | undefined;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** A float as Prometheus reads it (Go's ParseFloat: `NaN`, `Inf` in any case; prom-client writes `Nan`). */
function parseValue(text: string, where: string): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: '${text}' is not a value`);
  return Number(text);
}

/** `{a="x",b="y\"z"}` from position `at` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, at: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without '='`);
    const name = line.slice(i, eq);
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`${where}: bad label name '${name}'`);
    if (name in labels) throw new Error(`${where}: label '${name}' twice`);
    if (line[eq + 1] !== '"') throw new Error(`${where}: label '${name}' value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        const next = line[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`${where}: bad escape '\\${next}' in label '${name}'`);
      } else value += line[j];
    }
    if (line[j] !== '"') throw new Error(`${where}: label '${name}' value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`${where}: expected ',' or '}' after label '${name}'`);
  }
  return { labels, end: i + 1 };
}

/** The family a sample belongs to: histogram and summary samples carry suffixes. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['', '_bucket', '_sum', '_count']) {
    if (suffix && !sample.endsWith(suffix)) continue;
    const family = families.get(sample.slice(0, sample.length - suffix.length));
    if (family && (suffix === '' || family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket')))
      return family;
  }
  return undefined;
}

const seriesKey = (s: Sample) =>
  `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

function checkHistogram(family: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, samples] of groups) {
    const where = `${family.name} ${key}`;
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`);
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const sum = samples.find((s) => s.name === `${family.name}_sum`);
    if (!count || !sum) throw new Error(`${where}: histogram without _count or _sum`);
    if (buckets.some((b) => b.labels.le === undefined)) throw new Error(`${where}: bucket without le`);
    const bounds = buckets.map((b) => parseValue(b.labels.le!, where));
    for (let i = 1; i < buckets.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`${where}: le not increasing`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${where}: buckets not cumulative`);
    }
    if (bounds.at(-1) !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (buckets.at(-1)!.value !== count.value) throw new Error(`${where}: +Inf bucket ≠ _count`);
  }
}

/** Parses (and checks) an exposition; throws naming the line at the first problem. */
export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const lines = text.split('\n').slice(0, -1);
  const enter = (family: Family | undefined) => {
    if (current && family !== current) closed.add(current.name);
    current = family;
  };
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!match) return; // a plain comment
      const [, kind, name, rest = ''] = match as unknown as [string, string, string, string?];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name '${name}'`);
      if (closed.has(name)) throw new Error(`${where}: lines of ${name} are not together`);
      let family = families.get(name);
      if (!family) {
        if (kind === 'HELP' || kind === 'TYPE')
          families.set(name, (family = { name, type: 'untyped', help: undefined, samples: [] }));
      }
      if (kind === 'TYPE') {
        if (family!.samples.length > 0) throw new Error(`${where}: TYPE of ${name} after its samples`);
        if (family!.type !== 'untyped' || !TYPES.has(rest)) throw new Error(`${where}: bad or second TYPE of ${name}`);
        family!.type = rest;
        if (rest === 'counter' && !name.endsWith('_total'))
          throw new Error(`${where}: counter ${name} should end in _total`);
      } else {
        if (family!.help !== undefined) throw new Error(`${where}: second HELP of ${name}`);
        family!.help = rest.replace(/\\(.?)/g, (_all, next: string) => {
          if (next === 'n') return '\n';
          if (next === '\\') return '\\';
          throw new Error(`${where}: bad escape in HELP of ${name}`);
        });
      }
      enter(family);
      return;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`${where}: not a sample: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name '${name}'`);
    const { labels, end } = line[nameEnd] === '{' ? parseLabels(line, nameEnd, where) : { labels: {}, end: nameEnd };
    const rest = line.slice(end).split(' ');
    if (rest[0] !== '' || rest.length < 2 || rest.length > 3)
      throw new Error(`${where}: expected ' value [timestamp]'`);
    const value = parseValue(rest[1]!, where);
    if (rest[2] !== undefined && !/^-?\d+$/.test(rest[2])) throw new Error(`${where}: bad timestamp`);
    let family = familyOf(name, families);
    if (!family) families.set(name, (family = { name, type: 'untyped', help: undefined, samples: [] }));
    if (closed.has(family.name)) throw new Error(`${where}: lines of ${family.name} are not together`);
    enter(family);
    const sample = { name, labels, value };
    const key = seriesKey(sample);
    if (seen.has(key)) throw new Error(`${where}: duplicate series ${key}`);
    seen.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The value of the one sample `name{labels}` (labels must match exactly), or undefined. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = familyOf(name, families);
  const want = JSON.stringify(Object.entries(labels).sort());
  return family?.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)
    ?.value;
}
