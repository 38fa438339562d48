// One registry endpoint as an Envoy LbEndpoint: address, health, weight, and the metadata auto mTLS and
// telemetry match on.
import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import type { AddressSchema } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import type { LbEndpointSchema } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_components_pb.ts';
import type { ServiceEndpoint } from '../model/service.ts';
import { TLS_MODE_ISTIO, TRANSPORT_SOCKET_MATCH_KEY } from '../cluster/upstream-tls.ts';
import { workloadMetadata } from './workload-metadata.ts';

export type LbEndpointInit = MessageInitShape<typeof LbEndpointSchema>;
export type AddressInit = MessageInitShape<typeof AddressSchema>;

const UNIX_PREFIX = 'unix://';

/** An IP or host name with a port, or a `unix://` path (which has no port). */
export function endpointAddress(address: string, port: number): AddressInit {
  if (address.startsWith(UNIX_PREFIX)) {
    return { address: { case: 'pipe', value: { path: address.slice(UNIX_PREFIX.length) } } };
  }
  return {
    address: { case: 'socketAddress', value: { address, portSpecifier: { case: 'portValue', value: port } } },
  };
}

/** WorkloadEntry weight 0 means unset, as in Istio. */
export function endpointWeight(endpoint: ServiceEndpoint): number {
  return endpoint.weight !== undefined && endpoint.weight > 0 ? endpoint.weight : 1;
}

function endpointMetadata(endpoint: ServiceEndpoint): Record<string, JsonObject> {
  const metadata: Record<string, JsonObject> = {};
  // Istio marks only mTLS-capable endpoints; the plaintext match of the cluster catches the rest.
  if (endpoint.tlsMode === 'istio') metadata[TRANSPORT_SOCKET_MATCH_KEY] = { tlsMode: TLS_MODE_ISTIO };
  if (endpoint.workloadName !== undefined) {
    metadata.istio = {
      workload: workloadMetadata(endpoint.workloadName, endpoint.namespace, endpoint.labels),
    };
  }
  return metadata;
}

export function lbEndpointFor(endpoint: ServiceEndpoint, port: number): LbEndpointInit {
  const filterMetadata = endpointMetadata(endpoint);
  return {
    hostIdentifier: { case: 'endpoint', value: { address: endpointAddress(endpoint.address, port) } },
    healthStatus: endpoint.healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY,
    ...(Object.keys(filterMetadata).length > 0 ? { metadata: { filterMetadata } } : {}),
    loadBalancingWeight: endpointWeight(endpoint),
  };
}
