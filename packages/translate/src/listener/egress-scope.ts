// The services and ports a sidecar's outbound listeners serve: those it has clusters for, narrowed to the
// ports its Sidecar's egress listeners admit.
import type { IstioEgressListener } from '@heddle/api';
import { egressHostMatches, servicesInScope } from '../cluster/service-scope.ts';
import type { MeshService, ServicePort } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export interface ScopedService {
  readonly service: MeshService;
  readonly ports: readonly ServicePort[];
}

/**
 * The service list is the cluster builder's (visible, one per host name, Sidecar egress hosts), so a
 * listener never names a cluster that does not exist.
 */
export function outboundServices(ctx: TranslationContext): ScopedService[] {
  const egress = ctx.index.sidecarFor(ctx.node)?.spec.egress;
  return servicesInScope(ctx).flatMap((service) => {
    if (!egress?.length) return [{ service, ports: service.ports }];
    const ports = service.ports.filter((port) => {
      const listener = egressListenerFor(egress, port.number);
      return listener?.hosts.some((entry) => egressHostMatches(entry, service, ctx.node.namespace)) ?? false;
    });
    return ports.length > 0 ? [{ service, ports }] : [];
  });
}

/** As Istio picks one egress listener per port: the one for the port, else the portless catch-all. */
function egressListenerFor(
  egress: readonly IstioEgressListener[],
  port: number,
): IstioEgressListener | undefined {
  return egress.find((l) => l.port?.number === port) ?? egress.find((l) => l.port?.number === undefined);
}
