// Stable finding codes for the service-registry kinds: ServiceEntry, WorkloadEntry, WorkloadGroup, Sidecar,
// EnvoyFilter, ProxyConfig (see codes.ts).

export const REGISTRY_CODES = {} as const;
