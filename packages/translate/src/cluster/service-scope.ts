// The services a proxy gets clusters for: those visible to its namespace (exportTo), one per host name,
// narrowed for sidecars by the egress hosts of the Sidecar resource that applies.
import type { Sidecar } from '@heddle/api';
import type { MeshService } from '../model/service.ts';
import { hostMatches } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';

/**
 * An egress `namespace/host` entry: namespace `*` any, `.` the proxy's own (also in the mesh-wide default
 * Sidecar), `~` none; host exact, `*`, or `*.suffix`.
 */
export function egressHostMatches(entry: string, service: MeshService, proxyNamespace: string): boolean {
  const slash = entry.indexOf('/');
  const namespace = slash < 0 ? '*' : entry.slice(0, slash);
  const host = (slash < 0 ? entry : entry.slice(slash + 1)).toLowerCase();
  if (namespace === '~') return false;
  if (namespace !== '*' && (namespace === '.' ? proxyNamespace : namespace) !== service.namespace)
    return false;
  return hostMatches(host, service.hostname);
}

function inSidecarScope(sidecar: Sidecar | undefined, service: MeshService, namespace: string): boolean {
  const egress = sidecar?.spec.egress;
  if (!egress || egress.length === 0) return true;
  return egress.some((listener) =>
    listener.hosts.some((entry) => egressHostMatches(entry, service, namespace)),
  );
}

/** Where several namespaces define a host, the one the index resolves for this proxy wins (its own first). */
export function servicesInScope(ctx: TranslationContext): MeshService[] {
  const { index, node } = ctx;
  const sidecar = node.role === 'sidecar' ? index.sidecarFor(node) : undefined;
  const seen = new Set<string>();
  const services: MeshService[] = [];
  for (const candidate of index.visibleServices(node.namespace)) {
    if (seen.has(candidate.hostname)) continue;
    seen.add(candidate.hostname);
    const service = index.serviceFor(candidate.hostname, node.namespace) ?? candidate;
    if (inSidecarScope(sidecar, service, node.namespace)) services.push(service);
  }
  return services;
}
