// Turns a patch `value` (Envoy's JSON, snake_case or camelCase, typed configs with "@type") into the Envoy
// message its applyTo patches, through the generated types; a value that does not fit is an error string.
import type { DescMessage, JsonValue } from '@bufbuild/protobuf';
import { xdsFromJson } from '@heddle/xds';
import { ClusterSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import {
  FilterChainSchema,
  FilterSchema,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { RouteSchema, VirtualHostSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { RouteConfigurationSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { HttpFilterSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { PatchTarget, PatchValueOf } from './patch-model.ts';

export const PATCH_SCHEMAS: { readonly [T in PatchTarget]: DescMessage } = {
  LISTENER: ListenerSchema,
  FILTER_CHAIN: FilterChainSchema,
  NETWORK_FILTER: FilterSchema,
  HTTP_FILTER: HttpFilterSchema,
  ROUTE_CONFIGURATION: RouteConfigurationSchema,
  VIRTUAL_HOST: VirtualHostSchema,
  HTTP_ROUTE: RouteSchema,
  CLUSTER: ClusterSchema,
};

export type ParsedValue<T extends PatchTarget> = { value: PatchValueOf[T] } | { error: string };

function isJsonObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parsePatchValue<T extends PatchTarget>(applyTo: T, raw: unknown): ParsedValue<T> {
  if (!isJsonObject(raw)) return { error: 'the value must be an object in Envoy JSON form' };
  try {
    return { value: xdsFromJson(PATCH_SCHEMAS[applyTo], raw) as unknown as PatchValueOf[T] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const unknownType = /(\S+) is not in the type registry/.exec(reason)?.[1];
    if (unknownType) {
      return {
        error: `Heddle has no schema for ${unknownType}, so it cannot build this typed config (Heddle knows the Envoy types its own proxy and translator use; a filter outside them would also be NACKed by Heddle's proxy)`,
      };
    }
    return { error: `the value is not a valid ${PATCH_SCHEMAS[applyTo].typeName}: ${reason}` };
  }
}
