// Which proxies a set of snapshot changes can affect, so that a push translates those and skips the rest. Each
// rule follows what the translator reads for a sidecar: the services its namespace sees (exportTo) narrowed by
// its Sidecar's egress hosts, the VirtualServices bound to `mesh` among them, the DestinationRules for the hosts
// it routes to, its own namespace's and workload's policies, and the services whose endpoints are itself. When
// a rule is unsure it answers "affected": gateways, proxyless gRPC clients, delegate VirtualServices,
// root-namespace config and anything unknown reach every proxy. Pure.
import {
  hostMatches,
  labelsMatch,
  MESH_GATEWAY,
  resolveHost,
  type MeshIndex,
  type MeshService,
  type ProxyNode,
} from '@heddle/translate';
import type { ConfigChange, ConfigResource, SnapshotChanges } from './snapshot-changes.ts';
import { destinationHosts, proxyScope, type ProxyScope } from './proxy-scope.ts';

/** True when the proxy's translation may differ after the changes. */
export type AffectedTest = (node: ProxyNode) => boolean;

/** What one change asks of a proxy's scope (namespace + Sidecar), evaluated once per distinct scope. */
type ScopeRule = (scope: ProxyScope) => boolean;

interface Rules {
  /** Why every sidecar is affected, if one change reaches them all. */
  everySidecar?: string;
  /** Every proxy of these namespaces. */
  readonly namespaces: Set<string>;
  /** Proxies of a namespace whose labels match one of the selectors. */
  readonly selectors: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> }[];
  readonly scopeRules: ScopeRule[];
}

const POLICY_KINDS = new Set([
  'AuthorizationPolicy',
  'RequestAuthentication',
  'Telemetry',
  'WasmPlugin',
  'EnvoyFilter',
  'PeerAuthentication',
]);

/**
 * `after` indexes the snapshot the proxies will be translated from. Proxies without a previous translation are
 * not the concern here: the caller translates them anyway.
 */
export function affectedProxies(changes: SnapshotChanges, after: MeshIndex): AffectedTest {
  if (changes.everything !== undefined) return () => true;
  const rules: Rules = { namespaces: new Set(), selectors: [], scopeRules: [] };
  for (const change of changes.configs) addConfigRules(rules, change, after.rootNamespace);
  for (const service of changes.services)
    addServiceRules(rules, [...service.before, ...service.after], service.hostname);
  if (rules.everySidecar === undefined && isEmpty(rules)) return (node) => alwaysTranslated(node);
  const scopes = new Map<string, boolean>();
  return (node) => {
    if (alwaysTranslated(node) || rules.everySidecar !== undefined) return true;
    if (rules.namespaces.has(node.namespace)) return true;
    if (rules.selectors.some((s) => s.namespace === node.namespace && labelsMatch(s.labels, node.labels)))
      return true;
    if (rules.scopeRules.length === 0) return false;
    const sidecar = after.sidecarFor(node);
    const key = `${node.namespace}\u0000${sidecar ? `${sidecar.metadata.namespace ?? 'default'}/${sidecar.metadata.name}` : ''}`;
    let affected = scopes.get(key);
    if (affected === undefined) {
      const scope = proxyScope(after, node.namespace, sidecar);
      affected = rules.scopeRules.some((rule) => rule(scope));
      scopes.set(key, affected);
    }
    return affected;
  };
}

/** Gateways (their input is every Gateway, VirtualService and credential) and proxyless gRPC clients. */
function alwaysTranslated(node: ProxyNode): boolean {
  return node.role !== 'sidecar' || node.metadata['GENERATOR'] === 'grpc';
}

function isEmpty(rules: Rules): boolean {
  return rules.namespaces.size === 0 && rules.selectors.length === 0 && rules.scopeRules.length === 0;
}

function addConfigRules(rules: Rules, change: ConfigChange, rootNamespace: string): void {
  const versions = [change.before, change.after].filter((r): r is ConfigResource => r !== undefined);
  switch (change.kind) {
    case 'Gateway':
      // Read only by gateways' own translation (Gateway selectors pick routers), which always runs.
      return;
    case 'Sidecar':
      if (change.namespace === rootNamespace) rules.everySidecar = 'a mesh-wide Sidecar changed';
      else rules.namespaces.add(change.namespace);
      return;
    case 'VirtualService':
      for (const vs of versions) addVirtualServiceRules(rules, vs, change.namespace);
      return;
    case 'DestinationRule': {
      const hosts = versions.map((dr) => resolveHost(stringAt(dr.spec, 'host') ?? '*', change.namespace));
      rules.scopeRules.push((scope) =>
        hosts.some((pattern) =>
          [...scope.relevantHosts()].some((host) => hostMatches(pattern, host) || hostMatches(host, pattern)),
        ),
      );
      return;
    }
  }
  if (!POLICY_KINDS.has(change.kind)) {
    rules.everySidecar = `unknown kind ${change.kind}`;
    return;
  }
  if (change.namespace === rootNamespace) {
    rules.everySidecar = `a mesh-wide ${change.kind} changed`;
    return;
  }
  for (const policy of versions) {
    if (hasField(policy.spec, 'targetRef') || hasField(policy.spec, 'targetRefs')) {
      rules.everySidecar = `${change.kind} with targetRef`;
      return;
    }
    const selector = selectorOf(change.kind, policy.spec);
    if (selector) rules.selectors.push({ namespace: change.namespace, labels: selector });
    else rules.namespaces.add(change.namespace);
    // A namespace-wide PeerAuthentication also decides how clients of that namespace's services talk to them.
    if (change.kind === 'PeerAuthentication' && !selector) {
      const namespace = change.namespace;
      rules.scopeRules.push((scope) => scope.serviceNamespaces().has(namespace));
    }
  }
}

function addVirtualServiceRules(rules: Rules, vs: ConfigResource, namespace: string): void {
  const hosts = stringsAt(vs.spec, 'hosts');
  if (hosts.length === 0) {
    // A delegate: which root VirtualServices (and so which proxies) include it is not worth working out.
    rules.everySidecar = 'a delegate VirtualService changed';
    return;
  }
  const gateways = stringsAt(vs.spec, 'gateways');
  const meshBound = gateways.length === 0 || gateways.includes(MESH_GATEWAY);
  const exportTo = stringsAt(vs.spec, 'exportTo');
  const resolved = hosts.map((host) => resolveHost(host, namespace));
  const destinations = destinationHosts(vs.spec).map((host) => resolveHost(host, namespace));
  rules.scopeRules.push(
    (scope) =>
      (meshBound &&
        scope.sees(exportTo, namespace) &&
        resolved.some((host) => scope.imports(namespace, host))) ||
      destinations.some((host) => scope.relevantHosts().has(host)),
  );
}

function addServiceRules(rules: Rules, services: readonly MeshService[], hostname: string): void {
  // Inbound: a proxy serves the services whose endpoints are its workload, always of its own namespace.
  for (const service of services)
    for (const endpoint of service.endpoints) rules.namespaces.add(endpoint.namespace);
  rules.scopeRules.push(
    (scope) =>
      services.some((service) => scope.includesService(service)) || scope.relevantHosts().has(hostname),
  );
}

function selectorOf(kind: string, spec: unknown): Readonly<Record<string, string>> | undefined {
  const selector =
    kind === 'EnvoyFilter'
      ? objectAt(spec, 'workloadSelector', 'labels')
      : objectAt(spec, 'selector', 'matchLabels');
  if (!selector || Object.keys(selector).length === 0) return undefined;
  return selector as Record<string, string>;
}

function hasField(spec: unknown, field: string): boolean {
  return spec !== null && typeof spec === 'object' && (spec as Record<string, unknown>)[field] !== undefined;
}

function objectAt(spec: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let value: unknown = spec;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringAt(spec: unknown, field: string): string | undefined {
  const value =
    spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function stringsAt(spec: unknown, field: string): string[] {
  const value =
    spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>)[field] : undefined;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
