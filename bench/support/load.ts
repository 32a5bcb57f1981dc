// HTTP load with autocannon (programmatic), keeping every response time so p50/p99 have µs resolution
// (autocannon's own histogram rounds to whole milliseconds, which hides everything at concurrency 1).
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  body: string | Buffer;
  headers: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Reads the server's CPU seconds, so CPU per request can be reported (robust to a busy machine). */
  serverCpuSeconds?: () => Promise<number>;
}

/** One or more load runs against one server, summarized. */
export interface LoadResult {
  connections: number;
  requests: number;
  /** Successful requests per second over the measured time. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Non-2xx responses, timeouts and socket errors: a valid run has none. */
  failures: number;
  /** Server CPU time per successful request, µs (NaN when not measured). */
  serverCpuUs: number;
  /** Raw material for combining runs: response times (ms), wall seconds, server CPU seconds. */
  times: number[];
  seconds: number;
  cpuSeconds: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  let failures = 0;
  const cpu0 = await options.serverCpuSeconds?.();
  const t0 = performance.now();
  let done!: (result: autocannon.Result) => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  // The callback form returns the instance, whose 'response' events carry each request's time.
  const instance = autocannon(
    {
      url: options.url,
      method: 'POST',
      headers: options.headers,
      body: options.body,
      connections: options.connections,
      duration: options.duration,
      timeout: 30,
    },
    (err, result) => (err ? fail(err) : done(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    else failures++;
  });
  const result = await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = await options.serverCpuSeconds?.();
  const cpuSeconds = cpu0 === undefined || cpu1 === undefined ? Number.NaN : cpu1 - cpu0;
  return summarize(options.connections, times, seconds, cpuSeconds, failures + result.errors + result.timeouts);
}

/** Several runs against the same server as one (e.g. the two halves of an A-B-B-A sequence). */
export function combine(results: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return summarize(
    results[0]?.connections ?? 0,
    results.flatMap((r) => r.times),
    sum((r) => r.seconds),
    sum((r) => r.cpuSeconds),
    sum((r) => r.failures),
  );
}

function summarize(
  connections: number,
  times: number[],
  seconds: number,
  cpuSeconds: number,
  failures: number,
): LoadResult {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))] ?? NaN;
  let sum = 0;
  for (const t of times) sum += t;
  return {
    connections,
    requests: times.length,
    rps: times.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: times.length ? sum / times.length : NaN,
    failures,
    serverCpuUs: (cpuSeconds * 1e6) / times.length,
    times,
    seconds,
    cpuSeconds,
  };
}
