// Ready-made proxy nodes for translation tests: a sidecar for a workload and a gateway.
import type { ProxyNode } from '@heddle/translate';

export interface NodeOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly ip?: string;
  readonly capture?: ProxyNode['capture'];
  /** Node metadata, e.g. `{ GENERATOR: grpc }` for a proxyless gRPC client. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export function sidecarNode(options: NodeOptions = {}): ProxyNode {
  const name = options.name ?? 'workload';
  const namespace = options.namespace ?? 'default';
  const ip = options.ip ?? '10.0.0.1';
  return {
    id: `sidecar~${ip}~${name}.${namespace}~${namespace}.svc.cluster.local`,
    role: 'sidecar',
    namespace,
    labels: options.labels ?? { app: name },
    serviceAccount: options.serviceAccount ?? 'default',
    workloadName: name,
    ipAddresses: [ip],
    capture: options.capture ?? 'transparent',
    metadata: options.metadata ?? {},
  };
}

export function gatewayNode(options: NodeOptions = {}): ProxyNode {
  const name = options.name ?? 'istio-ingressgateway';
  const namespace = options.namespace ?? 'istio-system';
  const ip = options.ip ?? '10.0.0.100';
  return {
    id: `router~${ip}~${name}.${namespace}~${namespace}.svc.cluster.local`,
    role: 'router',
    namespace,
    labels: options.labels ?? { istio: 'ingressgateway', app: name },
    serviceAccount: options.serviceAccount ?? `${name}-service-account`,
    workloadName: name,
    ipAddresses: [ip],
    capture: options.capture ?? 'transparent',
    metadata: options.metadata ?? {},
  };
}
