// The subset of Kubernetes objects Heddle reads: Service, Namespace, ServiceAccount, ConfigMap, Deployment.
import type { Labels } from './common.ts';
import type { KubernetesObject, Resource } from './resource.ts';

/** A v1 Service: on Kubernetes from the API server, elsewhere a manifest used as a service definition. */
export type KubernetesService = Resource<'Service', KubernetesServiceSpec, 'v1'>;

export interface KubernetesServiceSpec {
  /** Default ClusterIP. */
  readonly type?: KubernetesServiceType;
  /** Pods (or WorkloadEntries) whose labels include all of these are the endpoints. Unset: none selected. */
  readonly selector?: Labels;
  readonly ports?: readonly KubernetesServicePort[];
  /** `None` for a headless service (clients connect to endpoint IPs directly). */
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  /** DNS name the service aliases, for type ExternalName. */
  readonly externalName?: string;
}

export type KubernetesServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface KubernetesServicePort {
  /** Required when there are several ports; its prefix (`http-`, `grpc-` …) names the protocol for Istio. */
  readonly name?: string;
  readonly port: number;
  /** Port number or a container port name. Default: `port`. */
  readonly targetPort?: number | string;
  /** Transport protocol. Default TCP. */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Application protocol (`http`, `http2`, `grpc`, `tcp`, `tls` …); wins over the name prefix. */
  readonly appProtocol?: string;
  readonly nodePort?: number;
}

/** Heddle reads namespace labels (`istio-injection`, `istio.io/rev`, `topology.istio.io/network`). */
export type Namespace = KubernetesObject<'Namespace', 'v1'>;

/** Identity of workloads: SPIFFE `spiffe://<trust-domain>/ns/<namespace>/sa/<name>`. */
export interface ServiceAccount extends KubernetesObject<'ServiceAccount', 'v1'> {
  readonly automountServiceAccountToken?: boolean;
}

/** Config such as the `istio` mesh config map (key `mesh`) and `istio-sidecar-injector`. */
export interface ConfigMap extends KubernetesObject<'ConfigMap', 'v1'> {
  readonly data?: Readonly<Record<string, string>>;
  /** Values are base64. */
  readonly binaryData?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

export type Deployment = Resource<'Deployment', DeploymentSpec, 'apps/v1'>;

export interface DeploymentSpec {
  /** Default 1. */
  readonly replicas?: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplateSpec;
}

/** Kubernetes label selector: `matchLabels` and `matchExpressions` are ANDed. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Non-empty for In/NotIn, empty for Exists/DoesNotExist. */
  readonly values?: readonly string[];
}

export interface PodTemplateSpec {
  /** Labels select the pods (and Services); annotations carry `sidecar.istio.io/*` and `proxy.istio.io/config`. */
  readonly metadata?: PodTemplateMeta;
  readonly spec?: PodSpec;
}

export interface PodTemplateMeta {
  readonly labels?: Labels;
  readonly annotations?: Labels;
}

export interface PodSpec {
  readonly containers: readonly Container[];
  /** Unset: `default`. */
  readonly serviceAccountName?: string;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly ContainerPort[];
}

export interface ContainerPort {
  /** Referenced by a Service's named `targetPort`. */
  readonly name?: string;
  readonly containerPort: number;
  /** Default TCP. */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}
