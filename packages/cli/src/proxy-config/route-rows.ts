// istioctl proxy-config route: NAME, VHOST NAME, DOMAINS, MATCH, VIRTUAL SERVICE, one row per route.
import type { TableRow } from '../output/format-table.ts';
import type { ConfigFilters } from './config-filters.ts';
import { istioConfigRef } from './istio-config-ref.ts';
import { at, list, text, texts } from './json-fields.ts';
import { describeRouteMatch } from './route-match.ts';

export const ROUTE_HEADER: TableRow = ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'];

/** Domains shown before "+ N more...". */
const SHOWN_DOMAINS = 2;

export function routeRows(routeConfigs: readonly unknown[]): TableRow[] {
  const sorted = [...routeConfigs].sort((a, b) => compareNames(text(a, 'name') ?? '', text(b, 'name') ?? ''));
  return sorted.flatMap((routeConfig) => {
    const name = text(routeConfig, 'name') ?? '';
    return list(routeConfig, 'virtualHosts').flatMap((host) => {
      const hostName = text(host, 'name') ?? '';
      const domains = describeDomains(texts(host, 'domains'));
      return list(host, 'routes').map((route) => [
        name,
        hostName,
        domains,
        describeRouteMatch(at(route, 'match')),
        istioConfigRef(route) ?? '-',
      ]);
    });
  });
}

/** istioctl's route filter: the route configuration's name. */
export function routeMatches(routeConfig: unknown, filters: ConfigFilters): boolean {
  return filters.name === undefined || text(routeConfig, 'name') === filters.name;
}

/** The shortest names without a port first: `reviews, reviews.shop + 2 more...`. */
export function describeDomains(domains: readonly string[]): string {
  if (domains.length === 1) return domains[0] as string;
  // A port follows the last colon, but IPv6 literals hold colons of their own.
  const withoutPort = domains.filter((domain) => !/^(\[[^\]]*\]|[^:[\]]*):\d+$/.test(domain));
  const names = (withoutPort.length > 0 ? withoutPort : [...domains]).sort(
    (a, b) => a.length - b.length || compareNames(a, b),
  );
  const shown = names.slice(0, SHOWN_DOMAINS).join(', ');
  return names.length > SHOWN_DOMAINS ? `${shown} + ${names.length - SHOWN_DOMAINS} more...` : shown;
}

/** Route configs are named by port: numeric names in numeric order, then the others. */
function compareNames(a: string, b: string): number {
  const numberA = /^\d+$/.test(a) ? Number(a) : Infinity;
  const numberB = /^\d+$/.test(b) ? Number(b) : Infinity;
  if (numberA !== numberB) return numberA - numberB;
  return a < b ? -1 : a > b ? 1 : 0;
}
