// The PeerAuthentication mode and the AuthorizationPolicies that apply to one workload, by Istio's rule:
// root-namespace policies without a selector apply mesh-wide, a namespace's policies without a selector to
// the namespace, selector policies to matching workloads of their namespace; for mTLS the most specific
// level that sets a mode wins (the oldest policy within a level), and a selector policy's port-level mode
// wins for its port.
import type { AuthorizationPolicy, MutualTLSMode, PeerAuthentication } from '@heddle/api';
import type { MeshIndex } from '@heddle/translate';

type Scope = 'mesh' | 'namespace' | 'workload';

export interface WorkloadKey {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface MtlsView {
  readonly port: number;
  readonly mode: Exclude<MutualTLSMode, 'UNSET'>;
  /** `name.namespace` of the deciding PeerAuthentication; absent when the mesh default (PERMISSIVE) applies. */
  readonly policy?: string;
  readonly scope?: Scope;
  /** True when the policy's portLevelMtls decided. */
  readonly portLevel?: boolean;
}

export interface AuthorizationView {
  readonly policy: string;
  readonly action: string;
  readonly scope: Scope;
  readonly rules: number;
}

interface Scoped<T> {
  readonly policy: T;
  readonly scope: Scope;
}

function applicable<T extends { metadata: { name: string; namespace?: string } }>(
  policies: readonly T[],
  workload: WorkloadKey,
  rootNamespace: string,
  selectorOf: (policy: T) => Readonly<Record<string, string>> | undefined,
): Scoped<T>[] {
  const out: Scoped<T>[] = [];
  for (const policy of policies) {
    const namespace = policy.metadata.namespace ?? 'default';
    const selector = selectorOf(policy);
    if (selector === undefined) {
      if (namespace === workload.namespace) out.push({ policy, scope: 'namespace' });
      else if (namespace === rootNamespace) out.push({ policy, scope: 'mesh' });
    } else if (
      namespace === workload.namespace &&
      Object.entries(selector).every(([key, value]) => workload.labels[key] === value)
    ) {
      out.push({ policy, scope: 'workload' });
    }
  }
  const rank: Record<Scope, number> = { mesh: 0, namespace: 1, workload: 2 };
  return out.sort((a, b) => rank[a.scope] - rank[b.scope] || byAge(a.policy, b.policy));
}

function byAge(
  a: { metadata: { name: string; namespace?: string; creationTimestamp?: string } },
  b: { metadata: { name: string; namespace?: string; creationTimestamp?: string } },
): number {
  return (
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

export function refOf(resource: { metadata: { name: string; namespace?: string } }): string {
  return `${resource.metadata.name}.${resource.metadata.namespace ?? 'default'}`;
}

export function mtlsModes(index: MeshIndex, workload: WorkloadKey, ports: readonly number[]): MtlsView[] {
  const policies = applicable<PeerAuthentication>(
    index.snapshot.peerAuthentications,
    workload,
    index.rootNamespace,
    (policy) => policy.spec.selector?.matchLabels,
  );
  const levels = new Map<Scope, PeerAuthentication>();
  for (const { policy, scope } of policies) if (!levels.has(scope)) levels.set(scope, policy);
  return ports.map((port) => {
    let view: MtlsView = { port, mode: 'PERMISSIVE' };
    for (const scope of ['mesh', 'namespace', 'workload'] as const) {
      const policy = levels.get(scope);
      const mode = policy?.spec.mtls?.mode;
      if (policy && mode && mode !== 'UNSET') view = { port, mode, policy: refOf(policy), scope };
    }
    const workloadPolicy = levels.get('workload');
    const portMode = workloadPolicy?.spec.portLevelMtls?.[String(port)]?.mode;
    if (workloadPolicy && portMode && portMode !== 'UNSET') {
      view = { port, mode: portMode, policy: refOf(workloadPolicy), scope: 'workload', portLevel: true };
    }
    return view;
  });
}

export function authorizationPolicies(index: MeshIndex, workload: WorkloadKey): AuthorizationView[] {
  // Policies attached by targetRef apply to gateways and waypoints, not to a workload's sidecar.
  const bySelector = index.snapshot.authorizationPolicies.filter(
    (policy) => policy.spec.targetRef === undefined && policy.spec.targetRefs === undefined,
  );
  return applicable<AuthorizationPolicy>(
    bySelector,
    workload,
    index.rootNamespace,
    (policy) => policy.spec.selector?.matchLabels,
  ).map(({ policy, scope }) => ({
    policy: refOf(policy),
    action: policy.spec.action ?? 'ALLOW',
    scope,
    rules: policy.spec.rules?.length ?? 0,
  }));
}
