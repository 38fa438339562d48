// ClusterLoadAssignment (from EDS, or inline in a cluster) → endpoint specs, refusing what the proxy cannot do.
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { Metadata } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import { dialTarget } from './address.ts';
import { ClusterConfigError } from './config-error.ts';
import type { EdsHealth, EndpointSpec } from './endpoint-spec.ts';

/** Envoy's default overprovisioning factor, as a percentage. */
export const DEFAULT_OVERPROVISIONING_FACTOR = 140;
export const TRANSPORT_SOCKET_MATCH_KEY = 'envoy.transport_socket_match';

export interface CompiledAssignment {
  readonly endpoints: readonly EndpointSpec[];
  readonly overprovisioningFactor: number;
}

const HEALTH_NAMES: Record<number, EdsHealth> = {
  [HealthStatus.UNKNOWN]: 'UNKNOWN',
  [HealthStatus.HEALTHY]: 'HEALTHY',
  [HealthStatus.UNHEALTHY]: 'UNHEALTHY',
  [HealthStatus.DRAINING]: 'DRAINING',
  [HealthStatus.TIMEOUT]: 'TIMEOUT',
  [HealthStatus.DEGRADED]: 'DEGRADED',
};

/** `where` is e.g. `cluster 'x' load_assignment` or `ClusterLoadAssignment 'y'`. */
export function compileLoadAssignment(
  assignment: ClusterLoadAssignment,
  where: string,
  allowNames: boolean,
): CompiledAssignment {
  const policy = assignment.policy;
  if (policy) {
    if (policy.dropOverloads.length > 0) {
      throw new ClusterConfigError(`${where}: policy.drop_overloads is not supported`);
    }
    if (policy.weightedPriorityHealth) {
      throw new ClusterConfigError(`${where}: policy.weighted_priority_health is not supported`);
    }
  }
  if (Object.keys(assignment.namedEndpoints).length > 0) {
    throw new ClusterConfigError(`${where}: named_endpoints is not supported`);
  }
  const endpoints: EndpointSpec[] = [];
  assignment.endpoints.forEach((group, g) => {
    const at = `${where}: endpoints[${g}]`;
    if (group.lbConfig.case === 'ledsClusterLocalityConfig') {
      throw new ClusterConfigError(`${at}.leds_cluster_locality_config: LEDS is not supported`);
    }
    const l = group.locality;
    const locality = l && (l.region || l.zone || l.subZone) ? `${l.region}/${l.zone}/${l.subZone}` : '';
    group.lbEndpoints.forEach((lbEndpoint, e) => {
      const field = `${at}.lb_endpoints[${e}]`;
      if (lbEndpoint.hostIdentifier.case !== 'endpoint') {
        throw new ClusterConfigError(`${field}: only inline endpoints are supported (endpoint_name is not)`);
      }
      const endpoint = lbEndpoint.hostIdentifier.value;
      if (endpoint.additionalAddresses.length > 0) {
        throw new ClusterConfigError(`${field}.endpoint.additional_addresses: not supported`);
      }
      const target = dialTarget(endpoint.address, `${field}.endpoint.address`, allowNames);
      const weight = lbEndpoint.loadBalancingWeight ?? 1;
      if (weight < 1) throw new ClusterConfigError(`${field}.load_balancing_weight: must be at least 1`);
      endpoints.push({
        ...target,
        hostname: endpoint.hostname,
        health: HEALTH_NAMES[lbEndpoint.healthStatus] ?? 'UNHEALTHY',
        weight,
        priority: group.priority,
        locality,
        localityWeight: group.loadBalancingWeight ?? 0,
        metadata: flattenMetadata(lbEndpoint.metadata),
        socketMatch: stringFields(lbEndpoint.metadata?.filterMetadata[TRANSPORT_SOCKET_MATCH_KEY]),
      });
    });
  });
  return {
    endpoints,
    overprovisioningFactor: policy?.overprovisioningFactor ?? DEFAULT_OVERPROVISIONING_FACTOR,
  };
}

function flattenMetadata(metadata: Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata) return out;
  for (const [filter, fields] of Object.entries(metadata.filterMetadata)) {
    for (const [key, value] of Object.entries(stringFields(fields))) out[`${filter}.${key}`] = value;
  }
  return out;
}

/** Scalars as strings (Envoy compares Struct values; strings are all transport socket matches use). */
export function stringFields(fields: JsonObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fields) return out;
  for (const [key, value] of Object.entries(fields)) {
    const text = scalarText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function scalarText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
