// What one request (or TCP connection) is labelled with: computed once when it ends, then read by every
// metric's label plan. The standard label values are produced in HTTP_LABELS order into a reused array.
import type { ReadonlyHeaderMap } from '../../http/headers.ts';
import { HTTP_LABELS } from './istio-metrics.ts';
import { UNKNOWN, type PeerMetadata } from './peer-metadata.ts';

export type Reporter = 'source' | 'destination';

export interface DestinationService {
  /** The service's host name (`reviews.default.svc.cluster.local`). */
  readonly host: string;
  readonly name: string;
  readonly namespace: string;
}

export interface MetricAttributes {
  readonly reporter: Reporter;
  readonly source: PeerMetadata;
  readonly destination: PeerMetadata;
  /** The peer as learned through the metadata exchange (undefined when the peer sent none). */
  readonly peer: PeerMetadata | undefined;
  readonly sourcePrincipal: string;
  readonly destinationPrincipal: string;
  readonly destinationService: DestinationService;
  /** `http`, `grpc` or `tcp`. */
  readonly requestProtocol: string;
  readonly responseCode: string;
  readonly grpcStatus: string;
  readonly responseFlags: string;
  readonly securityPolicy: 'mutual_tls' | 'none' | 'unknown';
  readonly requestHeaders?: ReadonlyHeaderMap;
  readonly responseHeaders?: ReadonlyHeaderMap;
}

export const UNKNOWN_PEER: PeerMetadata = {
  workload: UNKNOWN,
  namespace: UNKNOWN,
  app: UNKNOWN,
  version: UNKNOWN,
  canonicalService: UNKNOWN,
  canonicalRevision: UNKNOWN,
  cluster: UNKNOWN,
};

export const STANDARD_LABEL_COUNT = HTTP_LABELS.length;

/** Fills `out` (length STANDARD_LABEL_COUNT) with the standard label values, in HTTP_LABELS order. */
export function standardLabelValues(attrs: MetricAttributes, out: string[]): string[] {
  const { source, destination, destinationService } = attrs;
  out[0] = attrs.reporter;
  out[1] = source.workload;
  out[2] = source.namespace;
  out[3] = attrs.sourcePrincipal;
  out[4] = source.app;
  out[5] = source.version;
  out[6] = source.canonicalService;
  out[7] = source.canonicalRevision;
  out[8] = source.cluster;
  out[9] = destination.workload;
  out[10] = destination.namespace;
  out[11] = attrs.destinationPrincipal;
  out[12] = destination.app;
  out[13] = destination.version;
  out[14] = destinationService.host;
  out[15] = destinationService.name;
  out[16] = destinationService.namespace;
  out[17] = destination.canonicalService;
  out[18] = destination.canonicalRevision;
  out[19] = destination.cluster;
  out[20] = attrs.requestProtocol;
  out[21] = attrs.responseCode;
  out[22] = attrs.grpcStatus;
  out[23] = attrs.responseFlags;
  out[24] = attrs.securityPolicy;
  return out;
}

/**
 * The destination service of an outbound cluster (`outbound|<port>|<subset>|<fqdn>`); a Kubernetes-style
 * `<name>.<namespace>.svc.…` host gives its name and namespace, any other host is its own name.
 */
export function destinationServiceFromHost(host: string, fallbackNamespace: string): DestinationService {
  // Interned (bounded), so equal services are one object: the metrics cache keys on that identity.
  const key = `${host}\u0001${fallbackNamespace}`;
  let service = services.get(key);
  if (service) return service;
  const parts = host.split('.');
  service =
    parts.length >= 3 && parts[2] === 'svc'
      ? { host, name: parts[0] as string, namespace: parts[1] as string }
      : { host, name: host, namespace: fallbackNamespace };
  if (services.size >= MAX_SERVICES) services.clear();
  services.set(key, service);
  return service;
}

const services = new Map<string, DestinationService>();
const MAX_SERVICES = 4096;

export function destinationServiceFromCluster(
  cluster: string | undefined,
  fallbackNamespace: string,
): DestinationService | undefined {
  if (cluster === undefined || !cluster.startsWith('outbound|')) return undefined;
  const fqdn = cluster.slice(cluster.lastIndexOf('|') + 1);
  return fqdn === '' ? undefined : destinationServiceFromHost(fqdn, fallbackNamespace);
}
