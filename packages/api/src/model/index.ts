// The typed Istio and Kubernetes resource model the translator and control plane program against.
export * from './resource.ts';
export type * from './common.ts';
export type * from './networking/virtual-service.ts';
export type * from './networking/destination-rule.ts';
export type * from './networking/gateway.ts';
export type * from './networking/service-entry.ts';
export type * from './networking/workload.ts';
export type * from './networking/sidecar.ts';
export type * from './networking/envoy-filter.ts';
export type * from './networking/proxy-config.ts';
export type * from './security.ts';
export type * from './telemetry.ts';
export type * from './kubernetes.ts';
