// Requests per second and latency per model over the last minutes, from the statistics extension polled every two
// seconds while the page is open. The samples stay in memory while the console is open, so coming back to the page
// keeps the history.
import { useEffect, useState } from 'preact/hooks';
import { session } from '../api/session.js';
import { ErrorView } from '../components/error-view.js';
import { LineChart } from '../components/line-chart.js';
import { TableHead } from '../components/table-head.js';
import { useInterval } from '../hooks/use-async.js';
import { formatMs, formatNumber } from '../lib/format.js';
import { type ModelRate, ratesBetween, type StatsSample, trimSamples } from '../lib/traffic.js';
import { href, Link } from '../router.js';

const POLL_MS = 2000;
const WINDOW_MS = 5 * 60_000;

/** Per interval: when it ended (epoch seconds) and each model's rates. */
interface Point {
  t: number;
  rates: ModelRate[];
}

const history: { samples: StatsSample[]; points: Point[]; sampling: boolean } = {
  samples: [],
  points: [],
  sampling: false,
};

function series(points: Point[], models: string[], pick: (r: ModelRate) => number | null) {
  return models.map((model) => ({
    label: model,
    values: points.map((p) => {
      const r = p.rates.find((x) => x.model === model);
      return r ? pick(r) : null;
    }),
  }));
}

export function TrafficPage() {
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const sample = async () => {
    // One sample at a time: a slow answer is waited for, not raced by the next tick.
    if (history.sampling) return;
    history.sampling = true;
    try {
      const stats = (await session.client.models.stats()).model_stats;
      history.samples.push({ at: Date.now(), stats });
      history.samples = trimSamples(history.samples, WINDOW_MS);
      const n = history.samples.length;
      if (n >= 2) {
        const next = history.samples[n - 1]!;
        history.points.push({ t: next.at / 1000, rates: ratesBetween(history.samples[n - 2]!, next) });
        history.points = history.points.filter((p) => next.at / 1000 - p.t <= WINDOW_MS / 1000);
      }
      setError(undefined);
      setVersion((v) => v + 1);
    } catch (err) {
      session.report(err);
      setError(err);
    } finally {
      history.sampling = false;
    }
  };
  useEffect(() => void sample(), []);
  useInterval(sample, POLL_MS);

  const { points } = history;
  const latest = points.at(-1)?.rates ?? [];
  const models = [...new Set(points.flatMap((p) => p.rates.map((r) => r.model)))].sort();
  const x = points.map((p) => p.t);
  return (
    <section>
      <h1>Traffic</h1>
      <p class="muted">
        From the statistics extension (<code>GET /v2/models/stats</code>), sampled every {POLL_MS / 1000} s while this
        page is open; the last {WINDOW_MS / 60_000} minutes. Latency is the mean of each interval: the statistics keep
        sums, not distributions.
      </p>
      <ErrorView error={error} title="Statistics unavailable" />
      {points.length === 0 ? (
        <p aria-live="polite">Measuring… (the first rates come after two samples)</p>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="traffic-table">
              <TableHead columns={['Model', 'Requests/s', 'Errors/s', 'Mean latency', 'Inferences (total)']} />
              <tbody>
                {latest.map((r) => (
                  <tr key={r.model} data-model={r.model}>
                    <th scope="row">
                      <Link to={href('models', r.model)}>{r.model}</Link>
                    </th>
                    <td class="num" data-col="rps">
                      {formatNumber(Number(r.requestsPerSecond.toFixed(2)))}
                    </td>
                    <td class="num">{formatNumber(Number(r.errorsPerSecond.toFixed(2)))}</td>
                    <td class="num">{r.meanLatencyMs === null ? '–' : formatMs(r.meanLatencyMs)}</td>
                    <td class="num" data-col="inferences">
                      {r.inferenceCount}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="two">
            <LineChart
              id="rps-chart"
              title="Requests per second"
              time
              xLabel="time"
              x={x}
              series={series(points, models, (r) => r.requestsPerSecond)}
              version={version}
            />
            <LineChart
              id="latency-chart"
              title="Mean latency (ms)"
              time
              xLabel="time"
              x={x}
              series={series(points, models, (r) => r.meanLatencyMs)}
              version={version}
            />
          </div>
        </>
      )}
    </section>
  );
}
