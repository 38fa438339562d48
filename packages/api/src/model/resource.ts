// The envelope every typed resource shares (apiVersion, kind, metadata), resource keys, and the union of kinds.
import type { Labels } from './common.ts';
import type { DestinationRule } from './networking/destination-rule.ts';
import type { EnvoyFilter } from './networking/envoy-filter.ts';
import type { Gateway } from './networking/gateway.ts';
import type { ProxyConfigResource } from './networking/proxy-config.ts';
import type { ServiceEntry } from './networking/service-entry.ts';
import type { Sidecar } from './networking/sidecar.ts';
import type { VirtualService } from './networking/virtual-service.ts';
import type { WorkloadEntry, WorkloadGroup } from './networking/workload.ts';
import type { ConfigMap, Deployment, KubernetesService, Namespace, ServiceAccount } from './kubernetes.ts';
import type { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from './security.ts';
import type { Telemetry, WasmPlugin } from './telemetry.ts';

/** The subset of Kubernetes `metadata` that Heddle reads and keeps. */
export interface ObjectMeta {
  readonly name: string;
  /** Unset for cluster-scoped kinds (Namespace) and when the YAML gave none; the store decides the default. */
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  /** Opaque version the store assigns on every write; compare for equality only. */
  readonly resourceVersion?: string;
  /** Incremented by the store when the spec changes (not on metadata-only changes). */
  readonly generation?: number;
  /** RFC 3339 timestamp, e.g. `2024-05-01T12:00:00Z`; Istio breaks precedence ties with it (oldest wins). */
  readonly creationTimestamp?: string;
  readonly uid?: string;
}

/** apiVersion + kind + metadata: what every object has, whether or not its content lives in `spec`. */
export interface KubernetesObject<Kind extends string, ApiVersion extends string = string> {
  readonly apiVersion: ApiVersion;
  readonly kind: Kind;
  readonly metadata: ObjectMeta;
}

/** A typed resource. `spec` is always present in the model (`{}` for YAML that has none). */
export interface Resource<
  Kind extends string,
  Spec,
  ApiVersion extends string = string,
> extends KubernetesObject<Kind, ApiVersion> {
  readonly spec: Spec;
}

/** API versions Istio serves for the networking kinds (all the same schema). */
export type NetworkingApiVersion =
  'networking.istio.io/v1' | 'networking.istio.io/v1beta1' | 'networking.istio.io/v1alpha3';
export type SecurityApiVersion = 'security.istio.io/v1' | 'security.istio.io/v1beta1';
export type TelemetryApiVersion = 'telemetry.istio.io/v1' | 'telemetry.istio.io/v1alpha1';

/** The Istio configuration kinds. */
export type IstioResource =
  | VirtualService
  | DestinationRule
  | Gateway
  | ServiceEntry
  | WorkloadEntry
  | WorkloadGroup
  | Sidecar
  | EnvoyFilter
  | ProxyConfigResource
  | PeerAuthentication
  | AuthorizationPolicy
  | RequestAuthentication
  | Telemetry
  | WasmPlugin;

/** The Kubernetes kinds Heddle reads (in any mode: a v1 Service manifest is a service definition anywhere). */
export type KubernetesResource = KubernetesService | Namespace | ServiceAccount | ConfigMap | Deployment;

/** Every typed kind, discriminated by `kind`. */
export type MeshResource = IstioResource | KubernetesResource;
export type MeshResourceKind = MeshResource['kind'];
/** The resource type for one kind, e.g. `ResourceOfKind<'Gateway'>`. */
export type ResourceOfKind<K extends MeshResourceKind> = Extract<MeshResource, { readonly kind: K }>;

/** `Kind/namespace/name`; the namespace is empty for cluster-scoped kinds (`Namespace//istio-system`). */
export type ResourceKey = `${string}/${string}/${string}`;

export interface ResourceKeyParts {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The key of a resource: `resourceKey('VirtualService', 'default', 'reviews')` → `VirtualService/default/reviews`. */
export function resourceKey<K extends string>(
  kind: K,
  namespace: string,
  name: string,
): `${K}/${string}/${string}` {
  return `${kind}/${namespace}/${name}`;
}

/** The key of a resource object; a missing namespace counts as empty. */
export function resourceKeyOf(object: KubernetesObject<string>): ResourceKey {
  return resourceKey(object.kind, object.metadata.namespace ?? '', object.metadata.name);
}

/**
 * Splits a key back into its parts, or `undefined` when it is not `Kind/namespace/name`. Kinds, namespaces
 * and names never contain `/`, so the split is unambiguous.
 */
export function parseResourceKey(key: string): ResourceKeyParts | undefined {
  const parts = key.split('/');
  if (parts.length !== 3) return undefined;
  const [kind, namespace, name] = parts as [string, string, string];
  if (kind === '' || name === '') return undefined;
  return { kind, namespace, name };
}
