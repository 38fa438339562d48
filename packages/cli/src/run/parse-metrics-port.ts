// `--metrics-port N[:path]`: where the app serves its own Prometheus metrics on loopback (Istio reads the same
// from the `prometheus.io/port` and `prometheus.io/path` annotations); the sidecar merges them into its
// scrape endpoint. The path defaults to `/metrics`.
import { UsageError } from '../usage-error.ts';

export interface AppMetricsSpec {
  readonly port: number;
  readonly path: string;
}

const SPEC = /^(\d{1,5})(?::(\/[^\s#?]*))?$/;

export function parseMetricsPort(text: string): AppMetricsSpec {
  const match = SPEC.exec(text.trim());
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65_535)
    throw new UsageError(
      `invalid metrics port '${text}'`,
      'Give the port the app serves metrics on, and optionally the path: --metrics-port 9090 or --metrics-port 9090:/stats.',
    );
  return { port, path: match[2] ?? '/metrics' };
}
