// Splits an Envoy-shaped config dump into clusters, listeners, route configs and load assignments.
import type { ConfigDump } from '../client/api-types.ts';
import { at, list, text } from './json-fields.ts';

export interface DumpSections {
  readonly clusters: readonly unknown[];
  readonly listeners: readonly unknown[];
  readonly routes: readonly unknown[];
  readonly endpoints: readonly unknown[];
  /** Secret entries as dumped: name, versionInfo, lastUpdated and the Secret (keys redacted). */
  readonly secrets: readonly unknown[];
}

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';

/** Static entries are read too, so that a proxy's own /config_dump reads the same as the control plane's. */
export function dumpSections(dump: ConfigDump): DumpSections {
  const section = (type: string) =>
    dump.configs.find((config) => text(config, '@type') === `${ADMIN}${type}`);
  const clusters = section('ClustersConfigDump');
  const listeners = section('ListenersConfigDump');
  const routes = section('RoutesConfigDump');
  const endpoints = section('EndpointsConfigDump');
  const secrets = section('SecretsConfigDump');
  return {
    clusters: [
      ...list(clusters, 'staticClusters').map((entry) => at(entry, 'cluster')),
      ...list(clusters, 'dynamicActiveClusters').map((entry) => at(entry, 'cluster')),
    ].filter(present),
    listeners: [
      ...list(listeners, 'staticListeners').map((entry) => at(entry, 'listener')),
      ...list(listeners, 'dynamicListeners').map((entry) => at(entry, 'activeState', 'listener')),
    ].filter(present),
    routes: [
      ...list(routes, 'staticRouteConfigs').map((entry) => at(entry, 'routeConfig')),
      ...list(routes, 'dynamicRouteConfigs').map((entry) => at(entry, 'routeConfig')),
    ].filter(present),
    endpoints: [
      ...list(endpoints, 'staticEndpointConfigs').map((entry) => at(entry, 'endpointConfig')),
      ...list(endpoints, 'dynamicEndpointConfigs').map((entry) => at(entry, 'endpointConfig')),
    ].filter(present),
    secrets: [...list(secrets, 'staticSecrets'), ...list(secrets, 'dynamicActiveSecrets')].filter(present),
  };
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}
