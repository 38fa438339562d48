// Prints one section of a proxy's config (or all of them) as istioctl's summary tables, JSON or YAML, after
// applying istioctl's filters.
import type { ConfigDump } from '../client/api-types.ts';
import { formatTable, type TableRow } from '../output/format-table.ts';
import { toYamlDocuments } from '../output/to-yaml-documents.ts';
import { CLUSTER_HEADER, clusterMatches, clusterRows } from './cluster-rows.ts';
import type { ConfigFilters } from './config-filters.ts';
import type { ConfigSection } from './config-sections.ts';
import { dumpSections, type DumpSections } from './dump-sections.ts';
import { filterEndpoints } from './endpoint-filter.ts';
import { ENDPOINT_HEADER, endpointRows } from './endpoint-rows.ts';
import { LISTENER_HEADER, listenerMatches, listenerRows } from './listener-rows.ts';
import { ROUTE_HEADER, routeMatches, routeRows } from './route-rows.ts';
import { SECRET_HEADER, secretRows } from './secret-rows.ts';

/** `short` is istioctl's name for the summary table. */
export type ProxyConfigOutput = 'short' | 'json' | 'yaml';

/** The parts with a table; `bootstrap` is rendered from the node, not from xDS resources. */
export type TablePart = Exclude<ConfigSection, 'all' | 'bootstrap'>;

interface Rendering {
  readonly now?: Date;
  readonly filters?: ConfigFilters;
}

const TABLES: Readonly<
  Record<TablePart, { header: TableRow; rows: (sections: DumpSections, now: Date) => TableRow[] }>
> = {
  cluster: { header: CLUSTER_HEADER, rows: (s) => clusterRows(s.clusters) },
  listener: { header: LISTENER_HEADER, rows: (s) => listenerRows(s.listeners) },
  route: { header: ROUTE_HEADER, rows: (s) => routeRows(s.routes) },
  endpoint: { header: ENDPOINT_HEADER, rows: (s) => endpointRows(s.endpoints) },
  secret: { header: SECRET_HEADER, rows: (s, now) => secretRows(s.secrets, now) },
};

const ALL_PARTS: readonly TablePart[] = ['cluster', 'listener', 'route', 'endpoint', 'secret'];

export function renderProxyConfig(
  dump: ConfigDump,
  section: TablePart | 'all',
  output: ProxyConfigOutput,
  rendering: Rendering = {},
): string {
  const filters = rendering.filters ?? {};
  const sections = filterSections(dumpSections(dump), filters);
  if (output === 'short') {
    const now = rendering.now ?? new Date();
    const parts = section === 'all' ? ALL_PARTS : [section];
    return parts.map((part) => formatTable(TABLES[part].header, TABLES[part].rows(sections, now))).join('\n');
  }
  // Structured output: the resources themselves (istioctl prints an array), or the whole dump for `all`.
  const value = section === 'all' ? dump : resourcesOf(sections, section);
  return output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYamlDocuments([value]);
}

function filterSections(sections: DumpSections, filters: ConfigFilters): DumpSections {
  return {
    clusters: sections.clusters.filter((cluster) => clusterMatches(cluster, filters)),
    listeners: sections.listeners.filter((listener) => listenerMatches(listener, filters)),
    routes: sections.routes.filter((route) => routeMatches(route, filters)),
    endpoints: filterEndpoints(sections.endpoints, filters),
    secrets: sections.secrets,
  };
}

function resourcesOf(sections: DumpSections, part: TablePart): readonly unknown[] {
  switch (part) {
    case 'cluster':
      return sections.clusters;
    case 'listener':
      return sections.listeners;
    case 'route':
      return sections.routes;
    case 'endpoint':
      return sections.endpoints;
    case 'secret':
      return sections.secrets;
  }
}
