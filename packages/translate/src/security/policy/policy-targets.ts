// Which policies with `targetRef`/`targetRefs` attach to one proxy port: Gateway API Gateways (and
// GatewayClasses from the root namespace) on gateway proxies, Services and ServiceEntries on the sidecars
// serving them. Istio attaches Service targets to waypoints; Heddle has none, so the sidecars of the
// service's workloads enforce the policy on the ports that serve the service.
import type { PolicyTargetReference } from '@heddle/api';
import type { ProxyNode } from '../../model/proxy-node.ts';
import type { MeshService } from '../../model/service.ts';
import { workloadPolicies, type NamespacedPolicy, type WorkloadSelectorOf } from './workload-policies.ts';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Labels Gateway API deployments carry on their gateway pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';

export interface TargetedSpec {
  readonly targetRef?: PolicyTargetReference;
  readonly targetRefs?: readonly PolicyTargetReference[];
}

/** Where a policy may attach: the proxy, and for a sidecar port the services served on it. */
export interface AttachmentPoint {
  readonly node: Pick<ProxyNode, 'role' | 'namespace' | 'labels'>;
  readonly rootNamespace: string;
  /** Computed only when a policy targets a Service or ServiceEntry (most meshes have none). */
  services(): readonly Pick<MeshService, 'name' | 'namespace' | 'origin'>[];
}

export function policyTargetRefs(spec: TargetedSpec): PolicyTargetReference[] {
  return [...(spec.targetRef ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])];
}

function group(ref: PolicyTargetReference): string {
  return ref.group === undefined || ref.group === 'core' ? '' : ref.group;
}

export function targetRefAttaches(
  ref: PolicyTargetReference,
  policyNamespace: string,
  point: AttachmentPoint,
): boolean {
  // Cross-namespace references are not allowed: the target lives in the policy's namespace.
  if (ref.namespace !== undefined && ref.namespace !== policyNamespace) return false;
  const { node } = point;
  switch (`${group(ref)}/${ref.kind}`) {
    case `${GATEWAY_API_GROUP}/Gateway`:
      return (
        node.role === 'router' &&
        node.namespace === policyNamespace &&
        node.labels[GATEWAY_NAME_LABEL] === ref.name
      );
    case `${GATEWAY_API_GROUP}/GatewayClass`:
      return (
        node.role === 'router' &&
        policyNamespace === point.rootNamespace &&
        node.labels[GATEWAY_CLASS_LABEL] === ref.name
      );
    case '/Service':
      return point.services().some((s) => s.origin === `Service ${policyNamespace}/${ref.name}`);
    case 'networking.istio.io/ServiceEntry':
      return point.services().some((s) => s.origin === `ServiceEntry ${policyNamespace}/${ref.name}`);
    default:
      return false;
  }
}

/**
 * The policies that apply at `point`, least specific first: by selector or scope (see workloadPolicies),
 * then those whose target references name the proxy or a service on the port. A policy with target
 * references never applies namespace-wide.
 */
export function attachedPolicies<T extends NamespacedPolicy & { readonly spec: TargetedSpec }>(
  policies: readonly T[],
  point: AttachmentPoint,
  selectorOf: WorkloadSelectorOf<T>,
): T[] {
  const selecting = policies.filter((p) => policyTargetRefs(p.spec).length === 0);
  const targeting = policies.filter((p) =>
    policyTargetRefs(p.spec).some((ref) => targetRefAttaches(ref, p.metadata.namespace ?? 'default', point)),
  );
  const scoped = workloadPolicies(selecting, point.node, point.rootNamespace, selectorOf);
  return [...scoped.map((s) => s.policy), ...targeting];
}
