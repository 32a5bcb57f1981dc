// Benchmark knobs come from BENCH_* environment variables, so `npm run bench` stays argument-free.

/** A positive number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got ${raw}`);
  return value;
}

/** A comma-separated list of positive integers from the environment, or the default. */
export function envIntegers(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${name}: expected comma-separated positive integers, got ${raw}`);
  }
  return values;
}
