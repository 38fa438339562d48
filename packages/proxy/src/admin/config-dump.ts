// `/config_dump`: Envoy's ConfigDump — the bootstrap, then the accepted clusters, (endpoints with
// `?include_eds`), listeners, routes and secrets, each with version, update time, warming and rejection state.
import { create } from '@bufbuild/protobuf';
import { anyPack, timestampFromDate, type Any, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  type Node,
} from '@heddle/xds';
import {
  BootstrapConfigDumpSchema,
  ConfigDumpSchema,
  SecretsConfigDumpSchema,
  type ConfigDump,
  type SecretsConfigDump,
} from '@heddle/xds/gen/envoy/admin/v3/config_dump_pb.ts';
import {
  ClientResourceStatus,
  ClustersConfigDumpSchema,
  EndpointsConfigDumpSchema,
  ListenersConfigDumpSchema,
  RoutesConfigDumpSchema,
  ScopedRoutesConfigDumpSchema,
  UpdateFailureStateSchema,
  type UpdateFailureState,
} from '@heddle/xds/gen/envoy/admin/v3/config_dump_shared_pb.ts';
import type { AcceptedResource, ConfigState, TypeConfig } from '../config/config-state.ts';
import type { Bootstrap } from '../xds/bootstrap.ts';
import { envoyBootstrap } from './envoy-bootstrap.ts';
import { envoyJson } from './envoy-json.ts';
import { jsonReply, queryFlag, type AdminEndpoint } from './admin-endpoint.ts';

export interface ConfigDumpSource {
  readonly bootstrap: Bootstrap;
  readonly node: Node;
  readonly loadedAt: Date;
  readonly state: ConfigState;
  /** The secrets in use (SDS over ADS and the agent's workload certificate), keys redacted. */
  readonly secrets?: () => SecretsConfigDump;
}

export function buildConfigDump(
  source: ConfigDumpSource,
  options: { readonly includeEds: boolean },
): ConfigDump {
  const { state } = source;
  const configs: Any[] = [
    anyPack(
      BootstrapConfigDumpSchema,
      create(BootstrapConfigDumpSchema, {
        bootstrap: envoyBootstrap(source.bootstrap, source.node),
        lastUpdated: timestampFromDate(source.loadedAt),
      }),
    ),
    anyPack(ClustersConfigDumpSchema, clustersDump(state.get(CLUSTER_TYPE_URL))),
  ];
  if (options.includeEds)
    configs.push(
      anyPack(EndpointsConfigDumpSchema, endpointsDump(state.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL))),
    );
  configs.push(
    anyPack(ListenersConfigDumpSchema, listenersDump(state.get(LISTENER_TYPE_URL))),
    anyPack(ScopedRoutesConfigDumpSchema, create(ScopedRoutesConfigDumpSchema)),
    anyPack(RoutesConfigDumpSchema, routesDump(state.get(ROUTE_CONFIGURATION_TYPE_URL))),
    anyPack(SecretsConfigDumpSchema, source.secrets?.() ?? create(SecretsConfigDumpSchema)),
  );
  return create(ConfigDumpSchema, { configs });
}

export function configDumpEndpoint(source: ConfigDumpSource): AdminEndpoint {
  return {
    path: '/config_dump',
    help: 'dump the current xDS config (?include_eds for endpoints)',
    methods: ['GET'],
    handle: ({ query }): ReturnType<typeof jsonReply> => {
      const dump = buildConfigDump(source, { includeEds: queryFlag(query, 'include_eds') });
      return jsonReply(envoyJson(ConfigDumpSchema, dump));
    },
  };
}

interface Entry {
  readonly versionInfo: string;
  readonly any: Any;
  readonly lastUpdated: Timestamp;
  readonly clientStatus: ClientResourceStatus;
  readonly errorState?: UpdateFailureState;
}

interface NamedEntry {
  readonly name: string;
  readonly active?: Entry;
  readonly error?: UpdateFailureState;
}

/** Active resources (ACKED), plus the rejected resource the error names (NACKED) with its error state. */
function entries(type: TypeConfig): NamedEntry[] {
  const failure = type.lastError;
  const failed = failure?.resources
    ? [...failure.resources.values()].filter((resource) => failure.details.includes(`"${resource.name}"`))
    : [];
  const errors = new Map(
    failed.map((resource) => [
      resource.name,
      create(UpdateFailureStateSchema, {
        failedConfiguration: resource.any,
        lastUpdateAttempt: timestampFromDate(failure?.at ?? new Date(0)),
        details: failure?.details ?? '',
        versionInfo: failure?.version ?? '',
      }),
    ]),
  );
  const out = [...type.resources.values()].map((resource): NamedEntry => {
    const error = errors.get(resource.name);
    errors.delete(resource.name);
    return { name: resource.name, active: entry(resource, error), ...(error ? { error } : {}) };
  });
  for (const [name, error] of errors) out.push({ name, error });
  return out;
}

function entry(resource: AcceptedResource, error?: UpdateFailureState): Entry {
  return {
    versionInfo: resource.version,
    any: resource.any,
    lastUpdated: timestampFromDate(resource.lastUpdated),
    clientStatus: error ? ClientResourceStatus.NACKED : ClientResourceStatus.ACKED,
    ...(error ? { errorState: error } : {}),
  };
}

function clustersDump(type: TypeConfig) {
  const active = (e: Entry) => ({
    versionInfo: e.versionInfo,
    cluster: e.any,
    lastUpdated: e.lastUpdated,
    clientStatus: e.clientStatus,
    ...(e.errorState ? { errorState: e.errorState } : {}),
  });
  return create(ClustersConfigDumpSchema, {
    versionInfo: type.versionInfo,
    dynamicActiveClusters: entries(type).map(({ active: e, error }) =>
      e ? active(e) : { clientStatus: ClientResourceStatus.NACKED, ...(error ? { errorState: error } : {}) },
    ),
    dynamicWarmingClusters: [...type.warming.values()].map((resource) => ({
      ...active(entry(resource)),
      clientStatus: ClientResourceStatus.REQUESTED,
    })),
  });
}

function listenersDump(type: TypeConfig) {
  const warming = type.warming;
  return create(ListenersConfigDumpSchema, {
    versionInfo: type.versionInfo,
    dynamicListeners: entries(type).map(({ name, active: e, error }) => ({
      name,
      ...(e
        ? { activeState: { versionInfo: e.versionInfo, listener: e.any, lastUpdated: e.lastUpdated } }
        : {}),
      ...(warming.has(name) ? { warmingState: warmingState(warming.get(name) as AcceptedResource) } : {}),
      ...(error ? { errorState: error } : {}),
      clientStatus: error ? ClientResourceStatus.NACKED : ClientResourceStatus.ACKED,
    })),
  });
}

function warmingState(resource: AcceptedResource) {
  return {
    versionInfo: resource.version,
    listener: resource.any,
    lastUpdated: timestampFromDate(resource.lastUpdated),
  };
}

function routesDump(type: TypeConfig) {
  return create(RoutesConfigDumpSchema, {
    dynamicRouteConfigs: entries(type).map(({ active: e, error }) => ({
      ...(e ? { versionInfo: e.versionInfo, routeConfig: e.any, lastUpdated: e.lastUpdated } : {}),
      clientStatus: error ? ClientResourceStatus.NACKED : ClientResourceStatus.ACKED,
      ...(error ? { errorState: error } : {}),
    })),
  });
}

function endpointsDump(type: TypeConfig) {
  return create(EndpointsConfigDumpSchema, {
    dynamicEndpointConfigs: entries(type).map(({ active: e, error }) => ({
      ...(e ? { versionInfo: e.versionInfo, endpointConfig: e.any, lastUpdated: e.lastUpdated } : {}),
      clientStatus: error ? ClientResourceStatus.NACKED : ClientResourceStatus.ACKED,
      ...(error ? { errorState: error } : {}),
    })),
  });
}
