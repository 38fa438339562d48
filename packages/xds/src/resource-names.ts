// Istio's names for clusters, listeners and routes, so that what users know from Istio carries over.
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster';
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
export const VIRTUAL_OUTBOUND = 'virtualOutbound';
export const VIRTUAL_INBOUND = 'virtualInbound';

export type TrafficDirection = 'outbound' | 'inbound';

export type ClusterName = {
  direction: TrafficDirection;
  port: number;
  /** The DestinationRule subset; '' for none. */
  subset: string;
  /** The service's FQDN; '' for inbound clusters. */
  host: string;
};

/** `outbound|<port>|<subset>|<fqdn>`, e.g. `outbound|9080|v2|reviews.default.svc.cluster.local`. */
export function outboundClusterName(port: number, subset: string, fqdn: string): string {
  return `outbound|${port}|${subset}|${fqdn}`;
}

/** `inbound|<port>||`: the cluster that forwards to the local workload's port. */
export function inboundClusterName(port: number): string {
  return `inbound|${port}||`;
}

/** Parses a name built by `outboundClusterName` or `inboundClusterName`; undefined for any other name. */
export function parseClusterName(name: string): ClusterName | undefined {
  const parts = name.split('|');
  if (parts.length !== 4) return undefined;
  const [direction, portText = '', subset = '', host = ''] = parts;
  if (direction !== 'outbound' && direction !== 'inbound') return undefined;
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { direction, port, subset, host };
}

/** `<address>_<port>`, e.g. `0.0.0.0_8080`: the name of a listener bound to one address and port. */
export function listenerName(address: string, port: number): string {
  return `${address}_${port}`;
}

/** Outbound HTTP route configurations are named by port, e.g. `8080`. */
export function routeConfigName(port: number): string {
  return String(port);
}
