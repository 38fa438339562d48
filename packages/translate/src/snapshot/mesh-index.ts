// Lookups over one snapshot, built once per snapshot and shared by every proxy's translation (Istio's
// PushContext): services by host, the VirtualServices bound to a gateway, the DestinationRule for a host.
import type { DestinationRule, Gateway, Sidecar, VirtualService } from '@heddle/api';
import type { MeshSnapshot } from '../model/mesh-snapshot.ts';
import type { ProxyNode } from '../model/proxy-node.ts';
import type { MeshService } from '../model/service.ts';
import {
  DEFAULT_DOMAIN_SUFFIX,
  hostMatches,
  hostSpecificity,
  labelsMatch,
  resolveHost,
} from './host-names.ts';

export const MESH_GATEWAY = 'mesh';

export interface MeshIndex {
  readonly snapshot: MeshSnapshot;
  readonly domainSuffix: string;
  readonly rootNamespace: string;
  readonly trustDomain: string;
  /** Services the namespace may see (exportTo), sorted by hostname. */
  visibleServices(namespace: string): readonly MeshService[];
  /** The service for a concrete host name as seen from `namespace`. */
  serviceFor(hostname: string, namespace: string): MeshService | undefined;
  /** VirtualServices bound to `gateway` (`ns/name` or `mesh`) visible from `namespace`, oldest first. */
  virtualServicesFor(gateway: string, namespace: string): readonly VirtualService[];
  /** The DestinationRule that applies to `hostname` for a proxy in `namespace` (Istio's lookup order). */
  destinationRuleFor(hostname: string, namespace: string): DestinationRule | undefined;
  /** Gateways whose selector picks this proxy. */
  gatewaysFor(node: ProxyNode): readonly Gateway[];
  /** The Sidecar resource that scopes this proxy, if any. */
  sidecarFor(node: ProxyNode): Sidecar | undefined;
}

function visibleTo(exportTo: readonly string[] | undefined, owner: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some(
    (entry) => entry === '*' || entry === namespace || (entry === '.' && owner === namespace),
  );
}

function namespaceOf(resource: { metadata: { namespace?: string } }): string {
  return resource.metadata.namespace ?? 'default';
}

/** Older resources first, then by namespace/name: Istio's precedence when rules conflict. */
function byAge<T extends { metadata: { name: string; namespace?: string; creationTimestamp?: string } }>(
  a: T,
  b: T,
): number {
  return (
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    namespaceOf(a).localeCompare(namespaceOf(b)) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/** Resolves a VirtualService's `gateways` entry to `ns/name` (or `mesh`). */
export function gatewayKey(reference: string, namespace: string): string {
  if (reference === MESH_GATEWAY) return MESH_GATEWAY;
  return reference.includes('/') ? reference : `${namespace}/${reference}`;
}

export function buildMeshIndex(snapshot: MeshSnapshot): MeshIndex {
  const domainSuffix = DEFAULT_DOMAIN_SUFFIX;
  const rootNamespace = snapshot.meshConfig.rootNamespace ?? 'istio-system';
  const trustDomain = snapshot.meshConfig.trustDomain ?? 'cluster.local';
  const servicesByHost = new Map<string, MeshService[]>();
  for (const service of snapshot.services) {
    const list = servicesByHost.get(service.hostname) ?? [];
    list.push(service);
    servicesByHost.set(service.hostname, list);
  }
  const visibleCache = new Map<string, readonly MeshService[]>();
  const virtualServices = [...snapshot.virtualServices].sort(byAge);
  const destinationRules = [...snapshot.destinationRules].sort(byAge);
  // Looked up for every cluster of every proxy: index by namespace so a lookup scans only the candidates.
  const rulesByNamespace = new Map<string, DestinationRule[]>();
  for (const rule of destinationRules) {
    const list = rulesByNamespace.get(namespaceOf(rule)) ?? [];
    list.push(rule);
    rulesByNamespace.set(namespaceOf(rule), list);
  }

  return {
    snapshot,
    domainSuffix,
    rootNamespace,
    trustDomain,
    visibleServices(namespace) {
      let cached = visibleCache.get(namespace);
      if (!cached) {
        cached = snapshot.services.filter((s) => visibleTo(s.exportTo, s.namespace, namespace));
        visibleCache.set(namespace, cached);
      }
      return cached;
    },
    serviceFor(hostname, namespace) {
      const candidates = servicesByHost.get(hostname) ?? [];
      return (
        candidates.find((s) => s.namespace === namespace) ??
        candidates.find((s) => visibleTo(s.exportTo, s.namespace, namespace))
      );
    },
    virtualServicesFor(gateway, namespace) {
      return virtualServices.filter((vs) => {
        const vsNamespace = namespaceOf(vs);
        const bound = (vs.spec.gateways?.length ? vs.spec.gateways : [MESH_GATEWAY]).map((g) =>
          gatewayKey(g, vsNamespace),
        );
        if (!bound.includes(gateway)) return false;
        return gateway !== MESH_GATEWAY || visibleTo(vs.spec.exportTo, vsNamespace, namespace);
      });
    },
    destinationRuleFor(hostname, namespace) {
      const service = servicesByHost.get(hostname)?.[0];
      const order = [namespace, service?.namespace, rootNamespace].filter(
        (n): n is string => n !== undefined,
      );
      for (const candidateNamespace of [...new Set(order)]) {
        let best: DestinationRule | undefined;
        let bestScore = -1;
        for (const rule of rulesByNamespace.get(candidateNamespace) ?? []) {
          const ruleNamespace = candidateNamespace;
          if (ruleNamespace !== namespace && !visibleTo(rule.spec.exportTo, ruleNamespace, namespace))
            continue;
          const host = resolveHost(rule.spec.host, ruleNamespace, domainSuffix);
          if (!hostMatches(host, hostname)) continue;
          const score = hostSpecificity(host);
          if (score > bestScore) {
            best = rule;
            bestScore = score;
          }
        }
        if (best) return best;
      }
      return undefined;
    },
    gatewaysFor(node) {
      return snapshot.gateways
        .filter(
          (gateway) =>
            labelsMatch(gateway.spec.selector, node.labels) &&
            Object.keys(gateway.spec.selector ?? {}).length > 0,
        )
        .sort(byAge);
    },
    sidecarFor(node) {
      const inNamespace = snapshot.sidecars.filter((s) => namespaceOf(s) === node.namespace).sort(byAge);
      return (
        inNamespace.find(
          (s) => s.spec.workloadSelector?.labels && labelsMatch(s.spec.workloadSelector.labels, node.labels),
        ) ??
        inNamespace.find((s) => !s.spec.workloadSelector) ??
        snapshot.sidecars
          .filter((s) => namespaceOf(s) === rootNamespace && !s.spec.workloadSelector)
          .sort(byAge)[0]
      );
    },
  };
}
