// The bootstrap's `metricsMerge` section: where the merged Prometheus scrape endpoint listens (Istio's agent
// serves it on :15020) and, optionally, where the application exposes its own metrics (what Istio reads from
// the `prometheus.io/port` and `prometheus.io/path` annotations).
import { integer, object, text, unknownKeys } from '../xds/bootstrap-fields.ts';

export interface AppMetricsTarget {
  /** The application's metrics port on 127.0.0.1. */
  readonly port: number;
  /** Absolute path, e.g. `/metrics`. */
  readonly path: string;
}

export interface MetricsMergeBootstrap {
  readonly address: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly appMetrics?: AppMetricsTarget;
}

export const METRICS_MERGE_DEFAULTS = { address: '127.0.0.1', appMetricsPath: '/metrics' } as const;

/** Reads `metricsMerge`; undefined when the section is absent (no merged endpoint). */
export function parseMetricsMergeSection(
  input: unknown,
  isIpAddress: (value: string) => boolean,
  problems: string[],
): MetricsMergeBootstrap | undefined {
  if (input === undefined) return undefined;
  const section = object(input, 'metricsMerge', problems);
  if (!section) return undefined;
  unknownKeys(section, ['address', 'port', 'appMetrics'], 'metricsMerge', problems);
  let address: string = METRICS_MERGE_DEFAULTS.address;
  if (section.address !== undefined) {
    address = text(section.address, 'metricsMerge.address', problems);
    if (!isIpAddress(address))
      problems.push(`metricsMerge.address: must be an IP address, not ${JSON.stringify(address)}`);
  }
  if (section.port === undefined) problems.push('metricsMerge.port: required (0 picks a free port)');
  const port =
    section.port === undefined ? 0 : integer(section.port, 'metricsMerge.port', 0, 65535, problems);
  const appMetrics = parseAppMetrics(section.appMetrics, problems);
  return { address, port, ...(appMetrics ? { appMetrics } : {}) };
}

function parseAppMetrics(input: unknown, problems: string[]): AppMetricsTarget | undefined {
  if (input === undefined) return undefined;
  const app = object(input, 'metricsMerge.appMetrics', problems);
  if (!app) return undefined;
  unknownKeys(app, ['port', 'path'], 'metricsMerge.appMetrics', problems);
  const port = integer(app.port, 'metricsMerge.appMetrics.port', 1, 65535, problems);
  const path =
    app.path === undefined
      ? METRICS_MERGE_DEFAULTS.appMetricsPath
      : text(app.path, 'metricsMerge.appMetrics.path', problems);
  if (!path.startsWith('/') || /[\s#]/.test(path))
    problems.push(
      `metricsMerge.appMetrics.path: must be an absolute path without spaces or "#", not ${JSON.stringify(path)}`,
    );
  return { port, path };
}
