// The resources last sent to one proxy in the shape of Envoy's /config_dump (proto3 JSON with `@type`), so that
// `proxy-config` can read the control plane's view and a proxy's own dump alike.
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { xdsToJson } from '@heddle/xds';
import type { TypeSync } from '../push/sync-state.ts';
import type { XdsResource } from '../xds/proxy-resources.ts';
import type { XdsShortName } from '../xds/xds-types.ts';
import { XDS_TYPES } from '../xds/xds-types.ts';
import type { ProxyConnection } from '../xds/xds-stream.ts';

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';

export function configDump(connection: ProxyConnection): JsonObject {
  const configs: JsonObject[] = [];
  for (const type of XDS_TYPES) {
    const sync = connection.sync.get(type.typeUrl);
    const entries = (sync?.sentResources ?? []).map((resource) =>
      dumpEntry(type.short, resource, entryVersion(connection, sync, resource), sync?.sentAt),
    );
    configs.push(section(type.short, sync?.sentVersion ?? '', entries));
  }
  return { configs };
}

function section(type: XdsShortName, version: string, entries: JsonObject[]): JsonObject {
  switch (type) {
    case 'cds':
      return { '@type': `${ADMIN}ClustersConfigDump`, versionInfo: version, dynamicActiveClusters: entries };
    case 'eds':
      return { '@type': `${ADMIN}EndpointsConfigDump`, dynamicEndpointConfigs: entries };
    case 'lds':
      return { '@type': `${ADMIN}ListenersConfigDump`, versionInfo: version, dynamicListeners: entries };
    case 'rds':
      return { '@type': `${ADMIN}RoutesConfigDump`, dynamicRouteConfigs: entries };
    case 'sds':
      return { '@type': `${ADMIN}SecretsConfigDump`, dynamicActiveSecrets: entries };
  }
}

function dumpEntry(
  type: XdsShortName,
  resource: XdsResource,
  version: string,
  at: number | undefined,
): JsonObject {
  const json = {
    '@type': resource.type.typeUrl,
    ...asObject(xdsToJson(resource.type.schema, resource.message)),
  };
  const stamp: JsonObject = at !== undefined ? { lastUpdated: new Date(at).toISOString() } : {};
  switch (type) {
    case 'cds':
      return { versionInfo: version, cluster: json, ...stamp };
    case 'eds':
      return { versionInfo: version, endpointConfig: json, ...stamp };
    case 'lds':
      return { name: resource.name, activeState: { versionInfo: version, listener: json, ...stamp } };
    case 'rds':
      return { versionInfo: version, routeConfig: json, ...stamp };
    case 'sds':
      return { name: resource.name, versionInfo: version, secret: redact(json), ...stamp };
  }
}

/** Delta proxies hold per-resource versions; SotW proxies one version per type. */
function entryVersion(
  connection: ProxyConnection,
  sync: TypeSync | undefined,
  resource: XdsResource,
): string {
  return connection.kind === 'delta' ? resource.version : (sync?.sentVersion ?? '');
}

function asObject(value: JsonValue): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

const SECRET_FIELDS = new Set(['privateKey', 'password', 'secret']);

/** Private keys never leave the control plane through a debug endpoint, as Envoy redacts them in its dump. */
function redact(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value))
    out[key] =
      SECRET_FIELDS.has(key) && item !== null && typeof item === 'object'
        ? { inlineString: '[redacted]' }
        : redact(item);
  return out;
}
