// Which services and VirtualServices a sidecar's routes may include on a port: all visible ones, or those its
// Sidecar resource's egress listeners import (`namespace/host` entries).
import type { IstioEgressListener, Sidecar, VirtualService } from '@heddle/api';
import type { MeshService } from '../model/service.ts';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { namespaceOf } from './route-scope.ts';

export interface EgressScope {
  includesService(service: MeshService, port: number): boolean;
  includesVirtualService(vs: VirtualService, port: number): boolean;
}

interface ImportedHost {
  readonly namespace: string;
  readonly host: string;
}

/** `.` is the proxy's own namespace (also in the root namespace's mesh-wide Sidecar), `~` none, `*` any. */
function parseHosts(listener: IstioEgressListener, proxyNamespace: string): ImportedHost[] {
  return listener.hosts.flatMap((entry) => {
    const slash = entry.indexOf('/');
    const namespace = slash < 0 ? '*' : entry.slice(0, slash);
    const host = (slash < 0 ? entry : entry.slice(slash + 1)).toLowerCase();
    if (namespace === '~') return [];
    return [{ namespace: namespace === '.' ? proxyNamespace : namespace, host }];
  });
}

function imports(hosts: readonly ImportedHost[], namespace: string, hostname: string): boolean {
  return hosts.some(
    (h) =>
      (h.namespace === '*' || h.namespace === namespace) &&
      (hostMatches(h.host, hostname) || hostMatches(hostname, h.host)),
  );
}

export function egressScope(ctx: TranslationContext, sidecar: Sidecar | undefined): EgressScope {
  const listeners = sidecar?.spec.egress ?? [];
  if (listeners.length === 0) {
    return { includesService: () => true, includesVirtualService: () => true };
  }
  const parsed = listeners.map((listener) => ({
    port: listener.port?.number,
    hosts: parseHosts(listener, ctx.node.namespace),
  }));
  // A listener for the port wins over the catch-all (portless) listener, as Istio picks one per port.
  const hostsFor = (port: number): readonly ImportedHost[] =>
    (parsed.find((l) => l.port === port) ?? parsed.find((l) => l.port === undefined))?.hosts ?? [];
  return {
    includesService: (service, port) => imports(hostsFor(port), service.namespace, service.hostname),
    includesVirtualService: (vs, port) => {
      const namespace = namespaceOf(vs);
      return (vs.spec.hosts ?? []).some((h) =>
        imports(hostsFor(port), namespace, resolveHost(h, namespace, ctx.index.domainSuffix)),
      );
    },
  };
}
