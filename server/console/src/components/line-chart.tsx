// A uPlot line chart that follows its data: created once per set of series, fed with setData() as points arrive,
// resized with its container. The figure says in words what it shows, and carries its point count for tests.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface LineChartProps {
  title: string;
  x: number[];
  series: ChartSeries[];
  /** Bumped when the arrays above grew in place. */
  version: number;
  /** x is epoch seconds (a time axis) rather than a count. */
  time?: boolean;
  xLabel?: string;
  yLabel?: string;
  id?: string;
}

const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

export function LineChart({ title, x, series, version, time = false, xLabel, yLabel, id }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 240,
      scales: { x: { time } },
      axes: [
        { label: xLabel, stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
        { label: yLabel, stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
      ],
      series: [
        { label: xLabel ?? 'x' },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: true,
          points: { show: x.length < 60 },
        })),
      ],
      legend: { live: true },
    };
    const chart = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [labels, time]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [version, labels]);

  const last = series.map((s) => `${s.label} ${formatLast(s.values)}`).join(', ');
  return (
    <figure class="chart" id={id} data-points={x.length}>
      <figcaption>
        {title} <span class="muted small">({x.length} points)</span>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${x.length} points; latest ${last}`} />
    </figure>
  );
}

function formatLast(values: (number | null)[]): string {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return String(Number(v.toPrecision(4)));
  }
  return '–';
}
