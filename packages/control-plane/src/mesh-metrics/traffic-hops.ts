// Which graph hops one Istio series counts on, so that a request seen by both proxies of a hop is counted
// once: the destination's report (it knows both sides of an HTTP hop) draws `source → service → workload`;
// the source's report counts only where no destination proxy reports (external hosts, requests that failed
// before reaching one) and for TCP, whose destination report knows the source only by its namespace.
import type { IstioLabels, IstioSeries } from './istio-series.ts';

export type EndpointKind = 'workload' | 'service' | 'unknown';

export interface HopEnd {
  /** `workload:<ns>/<name>`, `service:<ns>/<host>` or `unknown`. */
  readonly id: string;
  readonly kind: EndpointKind;
  readonly namespace: string;
  readonly workload?: string;
  readonly app?: string;
  readonly version?: string;
  readonly service?: string;
}

export interface Hop {
  readonly source: HopEnd;
  readonly target: HopEnd;
}

export const UNKNOWN_END: HopEnd = { id: 'unknown', kind: 'unknown', namespace: '' };

export function workloadNodeId(namespace: string, workload: string): string {
  return `workload:${namespace}/${workload}`;
}

export function serviceNodeId(namespace: string, host: string): string {
  return `service:${namespace}/${host}`;
}

export function trafficHops(series: IstioSeries): Hop[] {
  const labels = series.labels;
  const tcp = series.family === 'tcpSent' || series.family === 'tcpReceived';
  const source = sourceEnd(labels);
  const service = serviceEnd(labels);
  const workload = destinationWorkloadEnd(labels);
  if (labels.reporter === 'destination') {
    if (tcp) {
      // A mesh client's own report draws its hop; a plaintext one has no proxy to report it.
      const fromOutside = labels.connection_security_policy !== 'mutual_tls';
      if (service && workload)
        return fromOutside ? [hop(source, service), hop(service, workload)] : [hop(service, workload)];
      return fromOutside && workload ? [hop(source, workload)] : [];
    }
    if (service && workload) return [hop(source, service), hop(service, workload)];
    if (service) return [hop(source, service)];
    return workload ? [hop(source, workload)] : [];
  }
  if (labels.reporter === 'source' && (tcp || !workload)) return [hop(source, service ?? UNKNOWN_END)];
  return [];
}

function hop(source: HopEnd, target: HopEnd): Hop {
  return { source, target };
}

function known(value: string): boolean {
  return value !== '' && value !== 'unknown';
}

function sourceEnd(labels: IstioLabels): HopEnd {
  const name = labels.source_workload;
  const namespace = labels.source_workload_namespace;
  if (!known(name) || !known(namespace)) return UNKNOWN_END;
  return workloadEnd(namespace, name, labels.source_app, labels.source_version);
}

function destinationWorkloadEnd(labels: IstioLabels): HopEnd | undefined {
  const name = labels.destination_workload;
  const namespace = labels.destination_workload_namespace;
  if (!known(name) || !known(namespace)) return undefined;
  return workloadEnd(namespace, name, labels.destination_app, labels.destination_version);
}

function serviceEnd(labels: IstioLabels): HopEnd | undefined {
  const host = labels.destination_service;
  if (!known(host)) return undefined;
  const namespace = known(labels.destination_service_namespace) ? labels.destination_service_namespace : '';
  return { id: serviceNodeId(namespace, host), kind: 'service', namespace, service: host };
}

function workloadEnd(namespace: string, name: string, app: string, version: string): HopEnd {
  return {
    id: workloadNodeId(namespace, name),
    kind: 'workload',
    namespace,
    workload: name,
    ...(known(app) ? { app } : {}),
    ...(known(version) ? { version } : {}),
  };
}
