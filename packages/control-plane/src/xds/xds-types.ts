// The resource types Heddle serves over ADS, with their short names (as in Istio's metrics) and schemas.
import type { DescMessage } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
  SECRET_TYPE_URL,
  SecretSchema,
} from '@heddle/xds';

export type XdsShortName = 'cds' | 'eds' | 'lds' | 'rds' | 'sds';

export interface XdsType {
  readonly typeUrl: string;
  /** Lower case, the `type` label of pilot_* metrics. */
  readonly short: XdsShortName;
  /** Upper case, as `proxy-status` prints it. */
  readonly label: string;
  /** LDS and CDS: a request without names subscribes to everything (Envoy's wildcard). */
  readonly wildcard: boolean;
  readonly schema: DescMessage;
}

/** In the xDS make-before-break order: clusters, endpoints, listeners, routes, then secrets. */
export const XDS_TYPES: readonly XdsType[] = [
  { typeUrl: CLUSTER_TYPE_URL, short: 'cds', label: 'CDS', wildcard: true, schema: ClusterSchema },
  {
    typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
    short: 'eds',
    label: 'EDS',
    wildcard: false,
    schema: ClusterLoadAssignmentSchema,
  },
  { typeUrl: LISTENER_TYPE_URL, short: 'lds', label: 'LDS', wildcard: true, schema: ListenerSchema },
  {
    typeUrl: ROUTE_CONFIGURATION_TYPE_URL,
    short: 'rds',
    label: 'RDS',
    wildcard: false,
    schema: RouteConfigurationSchema,
  },
  { typeUrl: SECRET_TYPE_URL, short: 'sds', label: 'SDS', wildcard: false, schema: SecretSchema },
];

const BY_URL = new Map(XDS_TYPES.map((type) => [type.typeUrl, type]));

export function xdsTypeOf(typeUrl: string): XdsType | undefined {
  return BY_URL.get(typeUrl);
}
