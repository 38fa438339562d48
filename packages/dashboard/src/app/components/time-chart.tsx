// One uPlot line chart over time, sized to its container and redrawn in place when new data arrives.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { PlotColumns } from '../lib/series-data.ts';

export interface ChartLine {
  readonly label: string;
  readonly color: string;
  readonly format: (value: number | null) => string;
}

export interface TimeChartProps {
  readonly title: string;
  readonly data: PlotColumns;
  readonly lines: readonly ChartLine[];
  /** Fixes the y axis minimum at zero (rates and percentages). */
  readonly fromZero?: boolean;
}

const HEIGHT = 180;

export function TimeChart({ title, data, lines, fromZero = true }: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = lines.map((line) => line.label).join('|');

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: fromZero ? { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } : {},
      },
      axes: [{}, { size: 60 }],
      series: [
        {},
        ...lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 2,
          spanGaps: false,
          value: (_u: uPlot, value: number | null) => line.format(value),
        })),
      ],
    };
    const instance = new uPlot(options, data, element);
    plot.current = instance;
    const observer = new ResizeObserver(() =>
      instance.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.destroy();
      plot.current = null;
    };
    // A new set of lines needs a new chart; new data alone is set below.
  }, [shape, fromZero]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={container} class="chart-body" data-testid={`chart-${title}`} />
    </figure>
  );
}
