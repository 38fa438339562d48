// The xDS resources a config dump says were delivered over xDS (dynamic ones only: a proxy's bootstrap
// clusters are not the control plane's to send), by section, keyed and sorted by name.
import type { ConfigDump } from '../client/api-types.ts';
import { at, list, text } from '../proxy-config/json-fields.ts';

export type XdsSection = 'Clusters' | 'Listeners' | 'Routes' | 'Endpoints';

export const XDS_SECTIONS: readonly XdsSection[] = ['Clusters', 'Listeners', 'Routes', 'Endpoints'];

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';

interface SectionSource {
  readonly dumpType: string;
  readonly entries: string;
  readonly resource: readonly string[];
  readonly name: string;
}

const SOURCES: Readonly<Record<XdsSection, SectionSource>> = {
  Clusters: {
    dumpType: 'ClustersConfigDump',
    entries: 'dynamicActiveClusters',
    resource: ['cluster'],
    name: 'name',
  },
  Listeners: {
    dumpType: 'ListenersConfigDump',
    entries: 'dynamicListeners',
    resource: ['activeState', 'listener'],
    name: 'name',
  },
  Routes: {
    dumpType: 'RoutesConfigDump',
    entries: 'dynamicRouteConfigs',
    resource: ['routeConfig'],
    name: 'name',
  },
  Endpoints: {
    dumpType: 'EndpointsConfigDump',
    entries: 'dynamicEndpointConfigs',
    resource: ['endpointConfig'],
    name: 'clusterName',
  },
};

/** Undefined when the dump has no such section (a proxy's /config_dump leaves endpoints out by default). */
export function dumpResources(dump: ConfigDump, section: XdsSection): readonly unknown[] | undefined {
  const source = SOURCES[section];
  const part = dump.configs.find((config) => text(config, '@type') === `${ADMIN}${source.dumpType}`);
  if (part === undefined) return undefined;
  return list(part, source.entries)
    .map((entry) => at(entry, ...source.resource))
    .filter((resource) => resource !== undefined)
    .sort((a, b) => compare(text(a, source.name) ?? '', text(b, source.name) ?? ''));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
