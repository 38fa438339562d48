// Istio's defaults for the meshConfig fields Heddle reads: what applies when a field is not set.
import type { MeshConfig } from './mesh-config.ts';

export const DEFAULT_MESH_CONFIG: MeshConfig = deepFreeze({
  accessLogFile: '',
  accessLogFormat: '',
  accessLogEncoding: 'TEXT',
  enableTracing: true,
  enableAutoMtls: true,
  enablePrometheusMerge: true,
  connectTimeout: '10s',
  // Istio disables the protocol detection timeout by default: server-first protocols would break.
  protocolDetectionTimeout: '0s',
  dnsRefreshRate: '60s',
  h2UpgradePolicy: 'DO_NOT_UPGRADE',
  outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
  inboundTrafficPolicy: { mode: 'PASSTHROUGH' },
  defaultConfig: {
    concurrency: 2,
    proxyMetadata: {},
    tracing: { sampling: 1.0, zipkin: { address: 'zipkin.istio-system:9411' } },
    holdApplicationUntilProxyStarts: false,
    terminationDrainDuration: '5s',
    drainDuration: '45s',
    discoveryAddress: 'istiod.istio-system.svc:15012',
    proxyAdminPort: 15000,
    statusPort: 15020,
  },
  // Istio also predefines "stackdriver"; Heddle has no Google Cloud integration, so it is left out.
  extensionProviders: [
    { name: 'prometheus', prometheus: {} },
    { name: 'envoy', envoyFileAccessLog: { path: '/dev/stdout' } },
  ],
  defaultProviders: { metrics: ['prometheus'] },
  trustDomain: 'cluster.local',
  trustDomainAliases: [],
  rootNamespace: 'istio-system',
  pathNormalization: { normalization: 'DEFAULT' },
  defaultServiceExportTo: ['*'],
  defaultVirtualServiceExportTo: ['*'],
  defaultDestinationRuleExportTo: ['*'],
});

/** Names of the extension providers that exist without being declared. */
export const BUILT_IN_PROVIDER_NAMES: readonly string[] = (DEFAULT_MESH_CONFIG.extensionProviders ?? []).map(
  (provider) => provider.name,
);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
