// What a sidecar can see, per namespace and Sidecar resource: the services visible to its namespace (exportTo)
// and imported by its Sidecar's egress hosts, and the hosts its routes lead to. Shared by every proxy of the
// same namespace and Sidecar; a superset of what the translator includes (ports are ignored), never less.
import type { Sidecar } from '@heddle/api';
import { hostMatches, MESH_GATEWAY, resolveHost, type MeshIndex, type MeshService } from '@heddle/translate';

export interface ProxyScope {
  /** Whether a resource of namespace `owner` with this exportTo is visible to the proxy's namespace. */
  sees(exportTo: readonly string[], owner: string): boolean;
  /** Whether the Sidecar's egress hosts import `host` of `namespace` (wildcards match either way). */
  imports(namespace: string, host: string): boolean;
  includesService(service: MeshService): boolean;
  /** Hosts of the services in scope and every destination of the VirtualServices in scope. */
  relevantHosts(): ReadonlySet<string>;
  /** Namespaces of the services in scope. */
  serviceNamespaces(): ReadonlySet<string>;
}

interface ImportedHost {
  /** `*` for any namespace. */
  readonly namespace: string;
  readonly host: string;
}

export function proxyScope(index: MeshIndex, namespace: string, sidecar: Sidecar | undefined): ProxyScope {
  const imported = importedHosts(sidecar, namespace);
  const sees = (exportTo: readonly string[], owner: string) =>
    exportTo.length === 0 ||
    exportTo.some((entry) => entry === '*' || entry === namespace || (entry === '.' && owner === namespace));
  const imports = (serviceNamespace: string, host: string) =>
    imported === undefined ||
    imported.some(
      (entry) =>
        (entry.namespace === '*' || entry.namespace === serviceNamespace) &&
        (hostMatches(entry.host, host) || hostMatches(host, entry.host)),
    );
  const includesService = (service: MeshService) =>
    (service.namespace === namespace || sees(service.exportTo, service.namespace)) &&
    imports(service.namespace, service.hostname);
  let hosts: Set<string> | undefined;
  let namespaces: Set<string> | undefined;
  const compute = () => {
    hosts = new Set();
    namespaces = new Set();
    for (const service of index.snapshot.services) {
      if (!includesService(service)) continue;
      hosts.add(service.hostname);
      namespaces.add(service.namespace);
    }
    for (const vs of index.virtualServicesFor(MESH_GATEWAY, namespace)) {
      const vsNamespace = vs.metadata.namespace ?? 'default';
      const vsHosts = (vs.spec.hosts ?? []).map((host) => resolveHost(host, vsNamespace, index.domainSuffix));
      if (!vsHosts.some((host) => imports(vsNamespace, host))) continue;
      for (const host of destinationHosts(vs.spec))
        hosts.add(resolveHost(host, vsNamespace, index.domainSuffix));
    }
    return { hosts, namespaces };
  };
  return {
    sees,
    imports,
    includesService,
    relevantHosts: () => hosts ?? compute().hosts,
    serviceNamespaces: () => namespaces ?? compute().namespaces,
  };
}

/** Undefined when the Sidecar (or its absence) imports everything visible. */
function importedHosts(sidecar: Sidecar | undefined, proxyNamespace: string): ImportedHost[] | undefined {
  const egress = sidecar?.spec.egress;
  if (!egress || egress.length === 0) return undefined;
  return egress.flatMap((listener) =>
    listener.hosts.flatMap((entry) => {
      const slash = entry.indexOf('/');
      const namespace = slash < 0 ? '*' : entry.slice(0, slash);
      const host = (slash < 0 ? entry : entry.slice(slash + 1)).toLowerCase();
      if (namespace === '~') return [];
      return [{ namespace: namespace === '.' ? proxyNamespace : namespace, host }];
    }),
  );
}

/** Every `host` a VirtualService's routes, mirrors and delegates name, wherever it sits in its http/tcp/tls. */
export function destinationHosts(spec: unknown): string[] {
  const hosts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'host' && typeof item === 'string') hosts.push(item);
      else visit(item);
    }
  };
  const sections = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : {};
  for (const section of ['http', 'tcp', 'tls']) visit(sections[section]);
  return hosts;
}
