// Public surface of @heddle/control-plane: config stores, validated apply, and the service registry.
export * from './errors.ts';
export type * from './store/config-store.ts';
export { formatKey, compareKeys, keyOf, keyOfStored, type ResourceKey } from './store/resource-key.ts';
export { MemoryConfigStore, type MemoryStoreOptions } from './store/memory-store.ts';
export { openSqliteStore, SQLITE_STORE_FILE, type SqliteStoreOptions } from './store/sqlite-store.ts';
export {
  applyYaml,
  type AppliedResource,
  type ApplyYamlOptions,
  type ApplyYamlResult,
} from './config/apply-config.ts';
export {
  deleteByKey,
  deleteYaml,
  type DeleteByKeyResult,
  type DeleteYamlOptions,
  type DeleteYamlResult,
} from './config/delete-config.ts';
export { UNNAMED_RESOURCE_NAME } from './config/mesh-resources.ts';
export {
  ServiceRegistry,
  type RegistrationHandle,
  type ServiceRegistryOptions,
  type ServicesListener,
} from './registry/registry.ts';
export type { WorkloadRegistration } from './registry/registration.ts';
export { workloadFromRegistration } from './registry/registration.ts';
export type { ConfigObject } from './registry/specs/config-object.ts';
export type { WorkloadInstance, WorkloadOrigin } from './registry/workload.ts';
export { selects } from './registry/workload.ts';
export {
  buildServices,
  compareServices,
  type BuildServicesOptions,
  type RegistrySources,
} from './registry/build-services.ts';
export { servicesFromServiceEntry } from './registry/from-service-entry.ts';
export {
  DEFAULT_DOMAIN_SUFFIX,
  kubernetesServiceHostname,
  serviceFromKubernetesService,
} from './registry/from-kubernetes-service.ts';
export {
  DEFAULT_SERVICE_ACCOUNT,
  parseLocality,
  workloadFromEntry,
  workloadFromSpec,
} from './registry/from-workload-entry.ts';
export {
  autoRegisteredName,
  registrationFromGroup,
  type GroupRegistrationOverrides,
} from './registry/from-workload-group.ts';
export { parseProtocol, selectProtocol, type PortDeclaration } from './registry/protocol.ts';
export { normalizeExportTo } from './registry/export-to.ts';
export {
  startControlPlane,
  CONTROL_PLANE_VERSION,
  type ControlPlane,
  type ControlPlaneOptions,
} from './server/control-plane.ts';
export { jsonLogger, silentLogger, type Logger, type LogLevel, type LogFields } from './server/logger.ts';
export { parseListenAddress, type ListenAddress } from './server/parse-address.ts';
export {
  buildMeshSnapshot,
  snapshotFromListing,
  type BuildMeshSnapshotOptions,
  type BuiltSnapshot,
  type CredentialSource,
} from './snapshot/build-mesh-snapshot.ts';
export {
  effectiveMeshConfig,
  CONTROL_PLANE_NAMESPACE,
  MESH_CONFIG_MAP_NAME,
  type EffectiveMeshConfig,
} from './snapshot/effective-mesh-config.ts';
export { proxyNodeFromXds } from './xds/proxy-node-from-xds.ts';
export { NODE_METADATA_KEYS } from './xds/node-metadata.ts';
export { AdsServer, DEFAULT_WRITE_TIMEOUT_MS, type AdsServerOptions } from './xds/ads-server.ts';
export { XDS_TYPES, xdsTypeOf, type XdsType, type XdsShortName } from './xds/xds-types.ts';
export type { ProxyConnection, XdsStream, StreamKind } from './xds/xds-stream.ts';
export {
  proxyStatus,
  syncStatusOf,
  type ProxyStatus,
  type TypeStatus,
  type SyncStatus,
} from './status/proxy-status.ts';
export { systemClock, type Clock, type TimerHandle } from './push/clock.ts';
export type { TranslateFn } from './push/proxy-translator.ts';
export { PushQueue, DEFAULT_DEBOUNCE, type DebounceOptions, type PushBatch } from './push/push-queue.ts';
export { MetricsRegistry } from './metrics/registry.ts';
export { createPilotMetrics, type PilotMetrics } from './metrics/pilot-metrics.ts';
export type { CaOptions, MeshCa } from './ca/mesh-ca.ts';
export { XDS_AUTH_MODES, type XdsAuthMode } from './xds/auth/xds-auth-mode.ts';
export type { CaKeyType } from './ca/key-type.ts';
export type { WorkloadAuthenticator, CallerCredentials } from './ca/workload-authenticator.ts';
export type { WorkloadIdentity } from './ca/workload-identity.ts';
export type { RotationPhase } from './ca/root-ring.ts';
export { DEFAULT_SECURE_XDS_ADDRESS } from './ca/secure-xds.ts';
export { SecretStore, SECRETS_DIR, type PutOptions, type PutResult } from './secrets/secret-store.ts';
export { DEFAULT_SECRET_NAMESPACE } from './secrets/validate-tls-secret.ts';
export type * from './secrets/tls-secret.ts';
