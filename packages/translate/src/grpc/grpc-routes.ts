// Route configurations for proxyless gRPC, one per target named `<fqdn>:<port>` as Istio's gRPC generator names
// them: the sidecar's virtual host for the service, its routes reduced to what gRPC clients accept.
import { create } from '@bufbuild/protobuf';
import type { VirtualService } from '@heddle/api';
import { RouteConfigurationSchema, VirtualHostSchema, type RouteConfiguration } from '@heddle/xds';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import { MESH_GATEWAY } from '../snapshot/mesh-index.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { expandRules } from '../route/delegate.ts';
import { namespaceOf, type SourcedRule } from '../route/route-scope.ts';
import { egressScope } from '../route/sidecar-scope.ts';
import { sidecarVirtualHosts } from '../route/sidecar-virtual-hosts.ts';
import { grpcRoute } from './grpc-route.ts';
import type { GrpcTarget } from './grpc-targets.ts';

export function buildGrpcRoutes(
  ctx: TranslationContext,
  targets: readonly GrpcTarget[],
): RouteConfiguration[] {
  const { index, node } = ctx;
  const scope = egressScope(ctx, index.sidecarFor(node));
  const virtualServices = index
    .virtualServicesFor(MESH_GATEWAY, node.namespace)
    .filter((vs) => vs.spec.hosts?.length);
  const hostsOf = (vs: VirtualService): string[] =>
    (vs.spec.hosts ?? []).map((h) => resolveHost(h, namespaceOf(vs), index.domainSuffix));
  const expanded = new Map<VirtualService, readonly SourcedRule[]>();
  const rulesOf = (vs: VirtualService): readonly SourcedRule[] => {
    let rules = expanded.get(vs);
    if (!rules) expanded.set(vs, (rules = expandRules(ctx, vs)));
    return rules;
  };
  return targets.map(({ service, port, routeName }) => {
    const names = (vs: VirtualService): boolean =>
      hostsOf(vs).some((h) => hostMatches(h, service.hostname) || hostMatches(service.hostname, h));
    const vhosts = sidecarVirtualHosts(
      ctx,
      {
        port: port.number,
        style: 'transparent',
        services: [service],
        virtualServices: virtualServices.filter(
          (vs) => scope.includesVirtualService(vs, port.number) && names(vs),
        ),
      },
      rulesOf,
    );
    // Other hosts of the same VirtualServices get their own configurations; gRPC dials one host per channel.
    const vhost = vhosts.find((v) => v.name === routeName);
    const routes = (vhost?.routes ?? []).flatMap((route) => grpcRoute(ctx, route, routeName) ?? []);
    return create(RouteConfigurationSchema, {
      name: routeName,
      virtualHosts: [
        create(VirtualHostSchema, { name: routeName, domains: vhost?.domains ?? [routeName], routes }),
      ],
    });
  });
}
