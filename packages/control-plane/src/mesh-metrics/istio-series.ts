// The Istio standard metrics the dashboard reads, reduced to the labels it groups by: samples of one proxy
// that differ only in labels dropped here (principals, canonical names, flags) add up into one series.
import type { PrometheusSample } from './prometheus-text.ts';

export const ISTIO_LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_app',
  'source_version',
  'destination_workload',
  'destination_workload_namespace',
  'destination_service',
  'destination_service_namespace',
  'destination_app',
  'destination_version',
  'response_code',
  'connection_security_policy',
  'request_protocol',
] as const;
export type IstioLabel = (typeof ISTIO_LABELS)[number];
export type IstioLabels = Readonly<Record<IstioLabel, string>>;

export type IstioFamily = 'requests' | 'duration' | 'tcpSent' | 'tcpReceived';

/** Prometheus names of the families, as the proxies expose them. */
export const ISTIO_FAMILY_NAMES: Readonly<Record<string, IstioFamily>> = {
  istio_requests_total: 'requests',
  istio_request_duration_milliseconds_bucket: 'duration',
  istio_tcp_sent_bytes_total: 'tcpSent',
  istio_tcp_received_bytes_total: 'tcpReceived',
};

export interface IstioSeries {
  /** Identifies the series across proxies and scrapes. */
  readonly key: string;
  readonly family: IstioFamily;
  /** The key without the bucket bound: the buckets of one histogram share it. */
  readonly histogram: string;
  readonly labels: IstioLabels;
  /** The bucket's upper bound in milliseconds (`duration` only; Infinity for `+Inf`). */
  readonly le?: number;
}

export function isIstioFamily(name: string): boolean {
  return Object.hasOwn(ISTIO_FAMILY_NAMES, name);
}

/** The reduced series of a sample, or undefined for a family the dashboard does not read. */
export function istioSeriesOf(sample: PrometheusSample): IstioSeries | undefined {
  const family = Object.hasOwn(ISTIO_FAMILY_NAMES, sample.name) ? ISTIO_FAMILY_NAMES[sample.name] : undefined;
  if (family === undefined) return undefined;
  const labels = {} as Record<IstioLabel, string>;
  for (const label of ISTIO_LABELS) labels[label] = sample.labels[label] ?? '';
  let le: number | undefined;
  if (family === 'duration') {
    const bound = sample.labels.le;
    le = bound === '+Inf' ? Infinity : Number(bound);
    if (bound === undefined || Number.isNaN(le)) return undefined;
  }
  const histogram = `${family}|${ISTIO_LABELS.map((label) => labels[label]).join('\u0001')}`;
  const key = le !== undefined ? `${histogram}|${le}` : histogram;
  return { key, family, histogram, labels, ...(le !== undefined ? { le } : {}) };
}
