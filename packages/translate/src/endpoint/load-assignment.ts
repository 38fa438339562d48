// ClusterLoadAssignments: a destination's endpoints grouped by locality and priority (Istio's locality
// failover and distribution), and the single local endpoint of an inbound cluster.
import { create } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  type ClusterLoadAssignment,
} from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { ServiceEndpoint } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { endpointPort, type OutboundDestination } from '../cluster/destination.ts';
import { groupByLocality, localitySettingFor } from '../cluster/locality.ts';
import { proxyLocality } from '../cluster/locality-match.ts';
import { endpointAddress, endpointWeight, lbEndpointFor } from './lb-endpoint.ts';

/**
 * Every locality carries load_balancing_weight: proxyless gRPC clients silently drop localities without one,
 * and Envoy needs it under locality-weighted balancing.
 */
export function loadAssignmentFor(
  ctx: TranslationContext,
  dest: OutboundDestination,
  endpoints: readonly ServiceEndpoint[],
): ClusterLoadAssignment {
  const groups = groupByLocality(
    endpoints.map((endpoint) => ({
      endpoint,
      locality: endpoint.locality,
      labels: endpoint.labels,
      weight: endpointWeight(endpoint),
    })),
    {
      client: proxyLocality(ctx.node),
      clientLabels: ctx.node.labels,
      setting: localitySettingFor(dest.policy.loadBalancer),
      outlierDetection: dest.policy.outlierDetection !== undefined,
    },
  );
  return create(ClusterLoadAssignmentSchema, {
    clusterName: dest.clusterName,
    endpoints: groups.map((group) => ({
      locality: {
        region: group.locality.region ?? '',
        zone: group.locality.zone ?? '',
        subZone: group.locality.subzone ?? '',
      },
      lbEndpoints: group.endpoints.map(({ endpoint }) =>
        lbEndpointFor(endpoint, endpointPort(endpoint, dest.port)),
      ),
      loadBalancingWeight: group.weight,
      priority: group.priority,
    })),
  });
}

/** An inbound cluster's one endpoint: the application on loopback (or where a Sidecar ingress points). */
export function localLoadAssignment(
  clusterName: string,
  address: string,
  port: number,
): ClusterLoadAssignment {
  return create(ClusterLoadAssignmentSchema, {
    clusterName,
    endpoints: [
      {
        locality: {},
        lbEndpoints: [
          {
            hostIdentifier: { case: 'endpoint', value: { address: endpointAddress(address, port) } },
            loadBalancingWeight: 1,
          },
        ],
        loadBalancingWeight: 1,
      },
    ],
  });
}
