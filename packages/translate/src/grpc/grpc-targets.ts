// What a proxyless gRPC client can dial as `xds:///<host>:<port>`: every port of every service in its scope,
// by FQDN and by the short names its namespace resolves (as Istio's gRPC generator expands requested names).
import type { MeshService, ServicePort } from '../model/service.ts';
import { servicesInScope } from '../cluster/service-scope.ts';
import { shortNames, withPort } from '../route/domains.ts';
import { egressScope } from '../route/sidecar-scope.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { GRPC_WARNINGS } from './warning-codes.ts';

export interface GrpcTarget {
  readonly service: MeshService;
  readonly port: ServicePort;
  /** `<fqdn>:<port>`: the route configuration every listener of the target names. */
  readonly routeName: string;
  /** `<fqdn>:<port>` first, then the short forms; a name already taken by an earlier target is left out. */
  readonly listenerNames: readonly string[];
}

export function grpcTargets(ctx: TranslationContext): GrpcTarget[] {
  const { index, node } = ctx;
  const scope = egressScope(ctx, index.sidecarFor(node));
  const taken = new Set<string>();
  const targets: GrpcTarget[] = [];
  for (const service of servicesInScope(ctx)) {
    if (service.resolution === 'NONE') {
      ctx.warn({
        code: GRPC_WARNINGS.UNREACHABLE,
        message: `${service.hostname} has resolution NONE (original destination), which gRPC clients cannot use; it gets no gRPC listener`,
        resource: service.origin,
      });
      continue;
    }
    const hosts = [service.hostname, ...shortNames(service.hostname, node.namespace, index.domainSuffix)];
    for (const port of service.ports) {
      if (!scope.includesService(service, port.number)) continue;
      const listenerNames = hosts
        .map((host) => withPort(host, port.number))
        .filter((name) => !taken.has(name));
      if (listenerNames.length === 0) continue;
      for (const name of listenerNames) taken.add(name);
      targets.push({ service, port, routeName: withPort(service.hostname, port.number), listenerNames });
    }
  }
  return targets;
}
