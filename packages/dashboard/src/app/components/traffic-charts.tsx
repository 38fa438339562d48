// The three charts of a detail page: requests per second, error rate, and p50/p99 latency.
import type { TrafficSeries } from '@heddle/api';
import { useMemo } from 'preact/hooks';
import { formatMs, formatPercent, formatRate } from '../lib/format.ts';
import { latestValue, seriesToCharts } from '../lib/series-data.ts';
import { TimeChart } from './time-chart.tsx';

const RATE_LINES = [{ label: 'requests/s', color: '#2f6fde', format: formatRate }];
const ERROR_LINES = [
  {
    label: 'errors',
    color: '#d64545',
    format: (value: number | null) => formatPercent(value === null ? null : value / 100),
  },
];
const LATENCY_LINES = [
  { label: 'p50', color: '#2e9e6a', format: formatMs },
  { label: 'p99', color: '#e8a33d', format: formatMs },
];

export function TrafficCharts({ series }: { series: TrafficSeries }) {
  const charts = useMemo(() => seriesToCharts(series), [series]);
  const [, rate = []] = charts.requests;
  const [, errors = []] = charts.errors;
  const [, p50 = [], p99 = []] = charts.latency;
  const latestErrors = latestValue(errors);
  return (
    <section aria-label="Traffic">
      <div class="stats">
        <div class="stat" data-testid="detail-rps">
          <div class="stat-value">{formatRate(latestValue(rate))}</div>
          <div class="stat-label">requests (latest step)</div>
        </div>
        <div class="stat" data-testid="detail-errors">
          <div class="stat-value">
            {formatPercent(latestErrors === undefined ? undefined : latestErrors / 100)}
          </div>
          <div class="stat-label">errors</div>
        </div>
        <div class="stat">
          <div class="stat-value">{formatMs(latestValue(p50))}</div>
          <div class="stat-label">p50</div>
        </div>
        <div class="stat">
          <div class="stat-value">{formatMs(latestValue(p99))}</div>
          <div class="stat-label">p99</div>
        </div>
      </div>
      {charts.hasTraffic ? null : (
        <p class="empty">No requests in this window yet; the charts fill in as traffic arrives.</p>
      )}
      <div class="charts">
        <TimeChart title="Requests per second" data={charts.requests} lines={RATE_LINES} />
        <TimeChart title="Error rate (%)" data={charts.errors} lines={ERROR_LINES} />
        <TimeChart title="Latency (ms)" data={charts.latency} lines={LATENCY_LINES} />
      </div>
    </section>
  );
}
