// Endpoints for proxyless gRPC: IP-literal addresses only (gRPC does no DNS for EDS), grouped by locality, each
// locality weighted (a gRPC client drops a locality without load_balancing_weight).
import type { ClusterLoadAssignment } from '@heddle/xds';
import { destinationEndpoints, type OutboundDestination } from '../cluster/destination.ts';
import { loadAssignmentFor } from '../endpoint/load-assignment.ts';
import { isIpAddress } from '../listener/cidr-range.ts';
import type { ServiceEndpoint } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { GRPC_WARNINGS } from './warning-codes.ts';

/** The destination's endpoints a gRPC client can dial; the others are reported once per service. */
export function dialableEndpoints(
  ctx: TranslationContext,
  dest: OutboundDestination,
  dialable: (endpoint: ServiceEndpoint) => boolean,
): ServiceEndpoint[] {
  const all = destinationEndpoints(dest);
  const kept = all.filter(dialable);
  const dropped = all.filter((endpoint) => !dialable(endpoint)).map((endpoint) => endpoint.address);
  if (dropped.length > 0) {
    ctx.warn({
      code: GRPC_WARNINGS.UNREACHABLE,
      message: `endpoints ${dropped.join(', ')} of ${dest.service.hostname} are left out for proxyless gRPC clients, which dial IP addresses from EDS and one host name for DNS resolution`,
      resource: dest.service.origin,
    });
  }
  return kept;
}

export function grpcLoadAssignment(
  ctx: TranslationContext,
  dest: OutboundDestination,
): ClusterLoadAssignment {
  return loadAssignmentFor(
    ctx,
    dest,
    dialableEndpoints(ctx, dest, (endpoint) => isIpAddress(endpoint.address)),
  );
}
