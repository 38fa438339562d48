// EnvoyFilter patches ready to apply: the value parsed into its Envoy message, grouped by what they patch.
import type { EnvoyConfigObjectMatch, EnvoyFilterClass, EnvoyPatchContext } from '@heddle/api';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Filter, FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { Route, VirtualHost } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';

/** The Envoy message each supported `applyTo` patches. */
export interface PatchValueOf {
  readonly LISTENER: Listener;
  readonly FILTER_CHAIN: FilterChain;
  readonly NETWORK_FILTER: Filter;
  readonly HTTP_FILTER: HttpFilter;
  readonly ROUTE_CONFIGURATION: RouteConfiguration;
  readonly VIRTUAL_HOST: VirtualHost;
  readonly HTTP_ROUTE: Route;
  readonly CLUSTER: Cluster;
}

export type PatchTarget = keyof PatchValueOf;

export type PatchOperation =
  'MERGE' | 'ADD' | 'REMOVE' | 'INSERT_BEFORE' | 'INSERT_AFTER' | 'INSERT_FIRST' | 'REPLACE';

/** Where a generated object sits, as EnvoyFilter's `match.context` names it. */
export type ObjectContext = 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY';

export interface Patch<T extends PatchTarget = PatchTarget> {
  /** `EnvoyFilter namespace/name`, for warnings. */
  readonly resource: string;
  /** Position in `spec.configPatches`. */
  readonly index: number;
  readonly applyTo: T;
  readonly operation: PatchOperation;
  readonly context: EnvoyPatchContext;
  readonly match: EnvoyConfigObjectMatch | undefined;
  /** Absent only for REMOVE. Never mutated: operations insert clones. */
  readonly value: PatchValueOf[T] | undefined;
  readonly filterClass: EnvoyFilterClass;
}

/** Every applicable patch of one proxy, per applyTo, in application order. */
export type PatchSet = { readonly [T in PatchTarget]: readonly Patch<T>[] };

export function contextMatches(patch: Patch, context: ObjectContext): boolean {
  return patch.context === 'ANY' || patch.context === context;
}
