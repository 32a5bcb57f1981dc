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

export interface LoadResult {
  connections: number;
  requests: number;
  /** Successful requests per second over the measured duration. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Non-2xx responses, timeouts and socket errors: a valid run has none. */
  failures: number;
  /** Server CPU time per successful request, µs (NaN when not measured). */
  serverCpuUs: number;
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
  const serverCpuUs = cpu0 === undefined || cpu1 === undefined ? NaN : ((cpu1 - cpu0) * 1e6) / times.length;
  failures += result.errors + result.timeouts;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))] ?? NaN;
  let sum = 0;
  for (const t of times) sum += t;
  return {
    connections: options.connections,
    requests: times.length,
    rps: times.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: times.length ? sum / times.length : NaN,
    failures,
    serverCpuUs,
  };
}
