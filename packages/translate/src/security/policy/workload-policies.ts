// Which namespaced policies (PeerAuthentication, AuthorizationPolicy, RequestAuthentication, Telemetry)
// apply to one proxy's workload: root-namespace policies without a selector apply mesh-wide, a namespace's
// policies without a selector apply namespace-wide, and selector policies apply to matching workloads only.
import type { ProxyNode } from '../../model/proxy-node.ts';

export interface NamespacedPolicy {
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined };
}

export type PolicyScope = 'mesh' | 'namespace' | 'workload';

export interface ScopedPolicy<T> {
  readonly policy: T;
  readonly scope: PolicyScope;
}

export interface WorkloadSelectorOf<T> {
  /** `matchLabels` of the policy's selector; undefined when the policy has none. */
  (policy: T): Readonly<Record<string, string>> | undefined;
}

export function labelsMatch(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The policies that apply to `node`, least specific first (mesh, namespace, workload). A selector policy in
 * the root namespace applies only to workloads of the root namespace, as in Istio.
 */
export function workloadPolicies<T extends NamespacedPolicy>(
  policies: readonly T[],
  node: Pick<ProxyNode, 'namespace' | 'labels'>,
  rootNamespace: string,
  selectorOf: WorkloadSelectorOf<T>,
): ScopedPolicy<T>[] {
  const mesh: ScopedPolicy<T>[] = [];
  const namespace: ScopedPolicy<T>[] = [];
  const workload: ScopedPolicy<T>[] = [];
  for (const policy of policies) {
    const policyNamespace = policy.metadata.namespace ?? 'default';
    const selector = selectorOf(policy);
    if (selector === undefined) {
      if (policyNamespace === node.namespace) namespace.push({ policy, scope: 'namespace' });
      else if (policyNamespace === rootNamespace) mesh.push({ policy, scope: 'mesh' });
    } else if (policyNamespace === node.namespace && labelsMatch(selector, node.labels)) {
      workload.push({ policy, scope: 'workload' });
    }
  }
  return [...mesh, ...namespace, ...workload];
}
