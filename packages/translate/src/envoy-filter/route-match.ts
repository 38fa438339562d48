// EnvoyFilter's `match.routeConfiguration`: which route configurations, virtual hosts and routes a patch
// selects. Sidecar route configurations are named by port (`8080`, inbound `inbound|8080||`); gateway ones
// `http.<port>` or `https.<port>.<portName>.<gateway>.<namespace>`, which carry the port name and gateway.
import type { Route, VirtualHost } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { ObjectContext, Patch } from './patch-model.ts';

interface RouteConfigName {
  readonly port: number;
  readonly portName?: string;
  /** `namespace/name`. */
  readonly gateway?: string;
}

function parseGatewayRouteName(name: string): RouteConfigName {
  const parts = name.split('.');
  const port = Number(parts[1]);
  if (!Number.isInteger(port)) return { port: 0 };
  if (parts[0] !== 'https' || parts.length < 5) return { port };
  const namespace = parts.at(-1) ?? '';
  return { port, portName: parts[2] ?? '', gateway: `${namespace}/${parts.slice(3, -1).join('.')}` };
}

function parseSidecarRouteName(name: string): RouteConfigName {
  // `inbound|<port>||` for inline inbound routes; a bare number for outbound ones; anything else has no port.
  const text = name.startsWith('inbound|') ? (name.split('|')[1] ?? '') : name;
  return { port: /^\d+$/.test(text) ? Number(text) : 0 };
}

export function routeConfigurationMatches(
  patch: Patch,
  context: ObjectContext,
  config: RouteConfiguration,
): boolean {
  const match = patch.match?.routeConfiguration;
  if (!match) return true;
  if (match.name && match.name !== config.name) return false;
  const parsed =
    context === 'GATEWAY' ? parseGatewayRouteName(config.name) : parseSidecarRouteName(config.name);
  if (match.portNumber && match.portNumber !== parsed.port) return false;
  // Port names and gateways identify gateway route configurations only.
  if (context !== 'GATEWAY') return true;
  if (match.portName && match.portName !== parsed.portName) return false;
  if (match.gateway && match.gateway !== parsed.gateway) return false;
  return true;
}

export function virtualHostMatches(patch: Patch, vhost: VirtualHost): boolean {
  const match = patch.match?.routeConfiguration?.vhost;
  if (!match) return true;
  if (match.name && match.name !== vhost.name) return false;
  if (match.domainName && !vhost.domains.includes(match.domainName)) return false;
  return true;
}

export function routeMatches(patch: Patch, route: Route): boolean {
  const match = patch.match?.routeConfiguration?.vhost?.route;
  if (!match) return true;
  if (match.name && match.name !== route.name) return false;
  switch (match.action ?? 'ANY') {
    case 'ANY':
      return true;
    case 'ROUTE':
      return route.action.case === 'route';
    case 'REDIRECT':
      return route.action.case === 'redirect';
    case 'DIRECT_RESPONSE':
      return route.action.case === 'directResponse';
  }
}

/** Whether the patch names a route (by name or action) to insert next to. */
export function namesRoute(patch: Patch): boolean {
  const match = patch.match?.routeConfiguration?.vhost?.route;
  return match !== undefined && (!!match.name || (match.action ?? 'ANY') !== 'ANY');
}
