// istioctl proxy-config listener: ADDRESS, PORT, MATCH, DESTINATION, one row per filter chain.
import type { TableRow } from '../output/format-table.ts';
import type { ConfigFilters } from './config-filters.ts';
import { at, integer, list, text, texts } from './json-fields.ts';
import { describeRouteMatch } from './route-match.ts';

export const LISTENER_HEADER: TableRow = ['ADDRESS', 'PORT', 'MATCH', 'DESTINATION'];

const HCM = 'envoy.filters.network.http_connection_manager';
const TCP_PROXY = 'envoy.filters.network.tcp_proxy';

/** istioctl's names for the ALPN sets Istio's filter chains match on. */
const ALPN_SETS: readonly (readonly [string, readonly string[]])[] = [
  ['App: HTTP TLS', ['http/1.0', 'http/1.1', 'h2c', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: Istio HTTP Plain', ['istio', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: TCP TLS', ['istio-peer-exchange', 'istio']],
  ['App: HTTP', ['http/1.0', 'http/1.1', 'h2c']],
];

export function listenerRows(listeners: readonly unknown[]): TableRow[] {
  const sorted = [...listeners].sort(
    (a, b) => (port(a) ?? 0) - (port(b) ?? 0) || compare(address(a), address(b)),
  );
  return sorted.flatMap((listener) => {
    const chains = [...list(listener, 'filterChains'), at(listener, 'defaultFilterChain')];
    return chains
      .filter((chain) => chain !== undefined)
      .map((chain) => [
        address(listener),
        String(port(listener) ?? '-'),
        describeChainMatch(at(chain, 'filterChainMatch')),
        describeDestination(list(chain, 'filters')),
      ]);
  });
}

/** istioctl's listener filters: the listener's address and port. */
export function listenerMatches(listener: unknown, filters: ConfigFilters): boolean {
  return (
    (filters.address === undefined || address(listener) === filters.address) &&
    (filters.port === undefined || port(listener) === filters.port)
  );
}

function address(listener: unknown): string {
  return (
    text(listener, 'address', 'socketAddress', 'address') ??
    text(listener, 'address', 'pipe', 'path') ??
    text(listener, 'address', 'envoyInternalAddress', 'serverListenerName') ??
    '-'
  );
}

function port(listener: unknown): number | undefined {
  return integer(listener, 'address', 'socketAddress', 'portValue');
}

export function describeChainMatch(match: unknown): string {
  const parts: string[] = [];
  const serverNames = texts(match, 'serverNames');
  if (serverNames.length > 0) parts.push(`SNI: ${serverNames.join(',')}`);
  const transport = text(match, 'transportProtocol');
  if (transport) parts.push(`Trans: ${transport}`);
  const alpn = texts(match, 'applicationProtocols');
  if (alpn.length > 0) {
    const known = ALPN_SETS.find(
      ([, set]) => set.length === alpn.length && set.every((p, i) => alpn[i] === p),
    );
    parts.push(known ? known[0] : `App: ${alpn.join(',')}`);
  }
  const destinationPort = integer(match, 'destinationPort');
  const portSuffix = destinationPort === undefined ? '' : `:${destinationPort}`;
  const prefixes = list(match, 'prefixRanges').map(
    (range) => `${text(range, 'addressPrefix') ?? ''}/${integer(range, 'prefixLen') ?? 0}`,
  );
  if (prefixes.length > 0) parts.push(`Addr: ${prefixes.join(',')}${portSuffix}`);
  else if (portSuffix) parts.push(`Addr: *${portSuffix}`);
  return parts.length > 0 ? parts.join('; ') : 'ALL';
}

function describeDestination(filters: readonly unknown[]): string {
  for (const filter of filters) {
    const name = text(filter, 'name');
    const config = at(filter, 'typedConfig');
    const type = text(config, '@type') ?? '';
    if (name === HCM || type.endsWith('.HttpConnectionManager')) {
      const routeConfigName = text(config, 'rds', 'routeConfigName');
      if (routeConfigName !== undefined) return `Route: ${routeConfigName}`;
      const inline = at(config, 'routeConfig');
      return inline !== undefined ? describeInlineRoutes(inline) : 'HTTP';
    }
    if (name === TCP_PROXY || type.endsWith('.TcpProxy')) {
      const cluster = text(config, 'cluster');
      if (cluster !== undefined) return clusterDestination(cluster);
      const weighted = list(config, 'weightedClusters', 'clusters').map((c) => text(c, 'name') ?? '');
      return `Cluster: ${weighted.join(', ')}`;
    }
  }
  return 'Non-HTTP/Non-TCP';
}

/** A route config that sends everything to one cluster reads as that cluster; others list their matches. */
function describeInlineRoutes(routeConfig: unknown): string {
  const hosts = list(routeConfig, 'virtualHosts');
  const only = hosts.length === 1 ? hosts[0] : undefined;
  const routes = list(only, 'routes');
  const domains = texts(only, 'domains');
  const single = routes.length === 1 ? routes[0] : undefined;
  const cluster = text(single, 'route', 'cluster');
  if (domains.length === 1 && domains[0] === '*' && text(single, 'match', 'prefix') === '/' && cluster) {
    return clusterDestination(cluster);
  }
  const described = hosts.map((host) => {
    const matches = list(host, 'routes')
      .map((route) => describeRouteMatch(at(route, 'match')))
      .join(', ');
    const names = texts(host, 'domains');
    return names.length === 1 && names[0] === '*' ? matches : `${names.join('/')} ${matches}`;
  });
  return `Inline Route: ${described.join('; ')}`;
}

/** Istio's special clusters (PassthroughCluster, BlackHoleCluster …) read better bare. */
function clusterDestination(cluster: string): string {
  return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
