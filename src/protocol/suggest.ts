// "did you mean …?" for names a request got wrong (models today). Shared by the server and the msw mock.

/** Levenshtein distance, case-insensitive (a typo in case counts as one edit less than a wrong letter would). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = row;
  }
  return previous[y.length]!;
}

/**
 * Up to three known names close to `name` (at most a third of its length in edits, or differing only in case, or
 * containing it), nearest first.
 */
export function nearNames(name: string, known: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of known) {
    if (candidate === name) continue;
    const d = distance(name, candidate);
    const contains = name.length >= 3 && candidate.toLowerCase().includes(name.toLowerCase());
    if (d <= limit || contains) scored.push([candidate, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([candidate]) => candidate);
}

/** ` Did you mean 'a' or 'b'?` (with the leading space), or '' when nothing is near. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const near = nearNames(name, known).map((n) => `'${n}'`);
  if (near.length === 0) return '';
  const list = near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`;
  return ` Did you mean ${list}?`;
}
