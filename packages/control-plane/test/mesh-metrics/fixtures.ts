// Istio metric lines for the mesh-metrics tests, with every label the dashboard reads.
import { ISTIO_LABELS, type IstioLabel } from '../../src/mesh-metrics/istio-series.ts';
import type { PrometheusSample } from '../../src/mesh-metrics/prometheus-text.ts';
import { parseSampleLine } from '../../src/mesh-metrics/prometheus-text.ts';

export type Labels = Partial<Record<IstioLabel | 'le' | 'source_principal', string>>;

/** A canary hop reported by the product workload of `version`: frontend → product service → product-<version>. */
export function productLabels(version: string, extra: Labels = {}): Labels {
  return {
    reporter: 'destination',
    source_workload: 'frontend',
    source_workload_namespace: 'shop',
    source_app: 'frontend',
    source_version: 'v1',
    destination_workload: `product-${version}`,
    destination_workload_namespace: 'shop',
    destination_app: 'product',
    destination_version: version,
    destination_service: 'product.shop.svc.cluster.local',
    destination_service_namespace: 'shop',
    request_protocol: 'http',
    response_code: '200',
    connection_security_policy: 'mutual_tls',
    ...extra,
  };
}

export function line(name: string, labels: Labels, value: number): string {
  const text = Object.entries(labels)
    .map(([key, v]) => `${key}="${v}"`)
    .join(',');
  return `${name}{${text}} ${value}`;
}

export function sample(name: string, labels: Labels, value: number): PrometheusSample {
  return parseSampleLine(line(name, labels, value)) as PrometheusSample;
}

/** Cumulative duration buckets for `counts` observations per bound (non-cumulative input). */
export function durationSamples(
  labels: Labels,
  perBucket: Readonly<Record<string, number>>,
): PrometheusSample[] {
  let running = 0;
  return Object.entries(perBucket).map(([le, count]) => {
    running += count;
    return sample('istio_request_duration_milliseconds_bucket', { ...labels, le }, running);
  });
}

export const LABEL_COUNT = ISTIO_LABELS.length;
