// Builders for the CDS/EDS resources the tests feed the cluster manager.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ClusterSchema,
  Cluster_DiscoveryType,
  type Cluster,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import {
  ClusterLoadAssignmentSchema,
  type ClusterLoadAssignment,
} from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { LbEndpointSchema } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_components_pb.ts';

export type ClusterInit = Exclude<MessageInitShape<typeof ClusterSchema>, Cluster>;
type LbEndpointInit = MessageInitShape<typeof LbEndpointSchema>;

export interface EndpointInit {
  readonly address?: string;
  readonly port: number;
  readonly weight?: number;
  readonly health?: HealthStatus;
  readonly hostname?: string;
  readonly tlsMode?: string;
}

export interface GroupInit {
  readonly endpoints: readonly EndpointInit[];
  readonly priority?: number;
  readonly locality?: { region?: string; zone?: string; subZone?: string };
  readonly weight?: number;
}

export function lbEndpoint(e: EndpointInit): LbEndpointInit {
  return {
    hostIdentifier: {
      case: 'endpoint',
      value: {
        address: {
          address: {
            case: 'socketAddress',
            value: { address: e.address ?? '127.0.0.1', portSpecifier: { case: 'portValue', value: e.port } },
          },
        },
        hostname: e.hostname ?? '',
      },
    },
    healthStatus: e.health ?? HealthStatus.HEALTHY,
    ...(e.weight !== undefined ? { loadBalancingWeight: e.weight } : {}),
    ...(e.tlsMode !== undefined
      ? { metadata: { filterMetadata: { 'envoy.transport_socket_match': { tlsMode: e.tlsMode } } } }
      : {}),
  };
}

export function assignment(clusterName: string, groups: readonly GroupInit[]): ClusterLoadAssignment {
  return create(ClusterLoadAssignmentSchema, {
    clusterName,
    endpoints: groups.map((g) => ({
      lbEndpoints: g.endpoints.map(lbEndpoint),
      priority: g.priority ?? 0,
      ...(g.locality ? { locality: { region: '', zone: '', subZone: '', ...g.locality } } : {}),
      ...(g.weight !== undefined ? { loadBalancingWeight: g.weight } : {}),
    })),
  });
}

/** One locality, priority 0, all on 127.0.0.1. */
export function ports(clusterName: string, list: readonly number[]): ClusterLoadAssignment {
  return assignment(clusterName, [{ endpoints: list.map((port) => ({ port })) }]);
}

export function staticCluster(name: string, load: ClusterLoadAssignment, extra: ClusterInit = {}): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
    loadAssignment: load,
    ...extra,
  });
}

export function edsCluster(name: string, extra: ClusterInit = {}): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    connectTimeout: { seconds: 1n },
    edsClusterConfig: { edsConfig: { configSourceSpecifier: { case: 'ads', value: {} } } },
    ...extra,
  });
}

export function cluster(init: ClusterInit): Cluster {
  return create(ClusterSchema, init);
}
