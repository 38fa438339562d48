// One VirtualService rule in a line or two: what it matches and where it sends the traffic (with weights),
// then what it does on the way (fault, retries, timeout, rewrite, mirror, redirect).
import type {
  HTTPMatchRequest,
  HTTPRoute,
  L4MatchAttributes,
  RouteDestination,
  StringMatch,
  TLSMatchAttributes,
} from '@heddle/api';
import { resolveHost } from '@heddle/translate';

export interface RouteDestinationView {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  /** Percent of the rule's traffic. */
  readonly weight: number;
}

export interface RouteView {
  readonly protocol: 'http' | 'tcp' | 'tls';
  readonly name?: string;
  readonly match: string;
  readonly destinations: readonly RouteDestinationView[];
  /** Fault, retries, timeout … in words; redirect or direct response when the rule does not forward. */
  readonly actions: readonly string[];
}

export function httpRouteView(route: HTTPRoute, namespace: string): RouteView {
  return {
    protocol: 'http',
    ...(route.name !== undefined ? { name: route.name } : {}),
    match: describeHttpMatches(route.match),
    destinations: destinationsOf(route.route ?? [], namespace),
    actions: httpActions(route, namespace),
  };
}

export function l4RouteView(
  protocol: 'tcp' | 'tls',
  match: readonly (L4MatchAttributes | TLSMatchAttributes)[] | undefined,
  route: readonly RouteDestination[] | undefined,
  namespace: string,
): RouteView {
  const parts = (match ?? []).map((m) => {
    const words: string[] = [];
    if ('sniHosts' in m && m.sniHosts) words.push(`sni ${m.sniHosts.join(',')}`);
    if (m.port !== undefined) words.push(`port ${m.port}`);
    if (m.destinationSubnets) words.push(`to ${m.destinationSubnets.join(',')}`);
    return words.join(' ') || 'any';
  });
  return {
    protocol,
    match: parts.length > 0 ? parts.join(' | ') : 'any connection',
    destinations: destinationsOf(route ?? [], namespace),
    actions: [],
  };
}

function describeHttpMatches(matches: readonly HTTPMatchRequest[] | undefined): string {
  if (!matches || matches.length === 0) return 'any request';
  return matches.map(describeHttpMatch).join(' | ');
}

function describeHttpMatch(match: HTTPMatchRequest): string {
  const words: string[] = [];
  if (match.uri) words.push(`uri ${stringMatch(match.uri)}`);
  if (match.method) words.push(`method ${stringMatch(match.method)}`);
  if (match.authority) words.push(`authority ${stringMatch(match.authority)}`);
  for (const [name, value] of Object.entries(match.headers ?? {}))
    words.push(`header ${name} ${stringMatch(value)}`);
  for (const [name, value] of Object.entries(match.queryParams ?? {}))
    words.push(`query ${name} ${stringMatch(value)}`);
  if (match.port !== undefined) words.push(`port ${match.port}`);
  if (match.sourceLabels)
    words.push(
      `from ${Object.entries(match.sourceLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
  return words.length > 0 ? words.join(', ') : 'any request';
}

function stringMatch(match: StringMatch): string {
  if (match.exact !== undefined) return `= ${match.exact}`;
  if (match.prefix !== undefined) return `${match.prefix}*`;
  if (match.regex !== undefined) return `~ ${match.regex}`;
  return 'present';
}

/** Weights as the proxy applies them: one destination takes everything; otherwise unset counts as 0. */
function destinationsOf(routes: readonly RouteDestination[], namespace: string): RouteDestinationView[] {
  return routes.map((route) => ({
    host: resolveHost(route.destination.host, namespace),
    ...(route.destination.subset !== undefined ? { subset: route.destination.subset } : {}),
    ...(route.destination.port?.number !== undefined ? { port: route.destination.port.number } : {}),
    weight: routes.length === 1 ? 100 : (route.weight ?? 0),
  }));
}

function httpActions(route: HTTPRoute, namespace: string): string[] {
  const actions: string[] = [];
  const delay = route.fault?.delay;
  if (delay)
    actions.push(
      `fault: delay ${delay.fixedDelay ?? '?'} for ${percent(delay.percentage?.value ?? delay.percent)}`,
    );
  const abort = route.fault?.abort;
  if (abort) {
    const status = abort.httpStatus ?? abort.grpcStatus ?? abort.http2Error ?? '?';
    actions.push(`fault: abort ${status} for ${percent(abort.percentage?.value)}`);
  }
  if (route.timeout !== undefined) actions.push(`timeout ${route.timeout}`);
  if (route.retries) {
    const { attempts, perTryTimeout, retryOn } = route.retries;
    const details = [perTryTimeout ? `per try ${perTryTimeout}` : '', retryOn ? `on ${retryOn}` : '']
      .filter(Boolean)
      .join(', ');
    actions.push(`retries ${attempts ?? 2}${details ? ` (${details})` : ''}`);
  }
  if (route.rewrite?.uri !== undefined) actions.push(`rewrite uri to ${route.rewrite.uri}`);
  if (route.rewrite?.authority !== undefined) actions.push(`rewrite authority to ${route.rewrite.authority}`);
  if (route.mirror) {
    const share = route.mirrorPercentage?.value ?? 100;
    actions.push(
      `mirror ${share}% to ${resolveHost(route.mirror.host, namespace)}${route.mirror.subset ? ` subset ${route.mirror.subset}` : ''}`,
    );
  }
  if (route.redirect) {
    const target = [route.redirect.scheme, route.redirect.authority, route.redirect.uri]
      .filter(Boolean)
      .join(' ');
    actions.push(`redirect ${route.redirect.redirectCode ?? 301}${target ? ` to ${target}` : ''}`);
  }
  if (route.directResponse) actions.push(`direct response ${route.directResponse.status}`);
  if (route.delegate)
    actions.push(`delegated to ${route.delegate.name}.${route.delegate.namespace ?? namespace}`);
  return actions;
}

/** An unset percentage means none for an abort and every request for Istio's legacy delay field. */
function percent(value: number | undefined): string {
  return value === undefined ? '0% of requests' : `${value}% of requests`;
}
