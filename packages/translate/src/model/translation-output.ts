// What one translation produces for one proxy: Envoy v3 resources per xDS type, plus warnings.
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { Secret } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';

/** Something in the config that could not be translated as written, for this proxy. */
export interface TranslationWarning {
  /** Stable code, e.g. `HEDDLE_TRANSLATE_SUBSET_NOT_FOUND`. */
  readonly code: string;
  readonly message: string;
  /** `Kind namespace/name` of the resource the warning is about. */
  readonly resource?: string;
}

export interface TranslationOutput {
  /** Each list sorted by resource name, so output is deterministic. */
  readonly listeners: Listener[];
  readonly routes: RouteConfiguration[];
  readonly clusters: Cluster[];
  readonly endpoints: ClusterLoadAssignment[];
  readonly secrets: Secret[];
  readonly warnings: TranslationWarning[];
}
