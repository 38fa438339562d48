// What the HTTP API reads and changes: the store, the registry, the connected proxies and the metrics.
import type { MeshCa } from '../ca/mesh-ca.ts';
import type { DashboardContext } from '../dashboard/dashboard-context.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { ServiceRegistry, RegistrationHandle } from '../registry/registry.ts';
import type { Logger } from '../server/logger.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { ConfigStore } from '../store/config-store.ts';
import type { TraceStore } from '../telemetry-collector/trace-store.ts';
import type { XdsStream } from '../xds/xds-stream.ts';

export interface ApiContext {
  readonly store: ConfigStore;
  readonly registry: ServiceRegistry;
  readonly streams: () => readonly XdsStream[];
  readonly metrics: MetricsRegistry;
  readonly instanceId: string;
  /** True once the first snapshot is built and the xDS server accepts proxies. */
  readonly ready: () => boolean;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Registrations made through the API, by handle id, so that DELETE can end them. */
  readonly workloads: Map<number, RegistrationHandle>;
  /** The certificate authority; absent when the control plane runs without one. */
  readonly ca?: MeshCa;
  /** The trace collector's store (Zipkin's `/api/v2/*`); absent: no collector routes. */
  readonly traces?: TraceStore;
  /** The local secret store (TLS credentials for gateways); absent: no `/apis/v1/secrets` routes. */
  readonly secrets?: SecretStore;
  /** The dashboard's API and, with its folder, its files; absent: neither is served. */
  readonly dashboard?: DashboardContext;
}
