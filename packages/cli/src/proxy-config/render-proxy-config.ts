// Prints one section of a proxy's config (or all of them) as istioctl's summary tables, JSON or YAML.
import type { ConfigDump } from '../client/api-types.ts';
import { formatTable, type TableRow } from '../output/format-table.ts';
import { toYamlDocuments } from '../output/to-yaml-documents.ts';
import { CLUSTER_HEADER, clusterRows } from './cluster-rows.ts';
import type { ConfigSection } from './config-sections.ts';
import { dumpSections, type DumpSections } from './dump-sections.ts';
import { ENDPOINT_HEADER, endpointRows } from './endpoint-rows.ts';
import { LISTENER_HEADER, listenerRows } from './listener-rows.ts';
import { ROUTE_HEADER, routeRows } from './route-rows.ts';

export type ProxyConfigOutput = 'table' | 'json' | 'yaml';

type Part = Exclude<ConfigSection, 'all'>;

const TABLES: Readonly<Record<Part, { header: TableRow; rows: (sections: DumpSections) => TableRow[] }>> = {
  cluster: { header: CLUSTER_HEADER, rows: (s) => clusterRows(s.clusters) },
  listener: { header: LISTENER_HEADER, rows: (s) => listenerRows(s.listeners) },
  route: { header: ROUTE_HEADER, rows: (s) => routeRows(s.routes) },
  endpoint: { header: ENDPOINT_HEADER, rows: (s) => endpointRows(s.endpoints) },
};

const PARTS: readonly Part[] = ['cluster', 'listener', 'route', 'endpoint'];

export function renderProxyConfig(
  dump: ConfigDump,
  section: ConfigSection,
  output: ProxyConfigOutput,
): string {
  const sections = dumpSections(dump);
  if (output === 'table') {
    const parts = section === 'all' ? PARTS : [section];
    return parts.map((part) => formatTable(TABLES[part].header, TABLES[part].rows(sections))).join('\n');
  }
  // Structured output: the resources themselves (istioctl prints an array), or the whole dump for `all`.
  const value = section === 'all' ? dump : resourcesOf(sections, section);
  return output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYamlDocuments([value]);
}

function resourcesOf(sections: DumpSections, part: Part): readonly unknown[] {
  switch (part) {
    case 'cluster':
      return sections.clusters;
    case 'listener':
      return sections.listeners;
    case 'route':
      return sections.routes;
    case 'endpoint':
      return sections.endpoints;
  }
}
