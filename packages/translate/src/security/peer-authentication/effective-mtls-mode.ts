// The mTLS mode a workload's inbound port is served with, from the PeerAuthentications that apply to it:
// workload (selector) over namespace over mesh (root namespace), the oldest policy winning within a level,
// a selector policy's portLevelMtls over its own mode, and UNSET inheriting from the level above.
import type { MutualTLSMode, PeerAuthentication } from '@heddle/api';
import { compareText } from '../../cluster/compare-text.ts';
import type { ProxyNode } from '../../model/proxy-node.ts';
import { workloadPolicies, type PolicyScope } from '../policy/workload-policies.ts';

export type ResolvedMtlsMode = Exclude<MutualTLSMode, 'UNSET'>;

/** Istio's default when no policy says anything. */
export const DEFAULT_MTLS_MODE: ResolvedMtlsMode = 'PERMISSIVE';

export interface MtlsDecision {
  readonly mode: ResolvedMtlsMode;
  /** `PeerAuthentication ns/name` that decided, or undefined for the mesh default. */
  readonly decidedBy?: string;
}

/** Oldest first (creationTimestamp, then namespace/name), as Istio breaks ties between policies of one level. */
function oldestFirst(a: PeerAuthentication, b: PeerAuthentication): number {
  return (
    compareText(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') ||
    compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareText(a.metadata.name, b.metadata.name)
  );
}

function set(mode: MutualTLSMode | undefined): ResolvedMtlsMode | undefined {
  return mode === undefined || mode === 'UNSET' ? undefined : mode;
}

export function policyRef(policy: PeerAuthentication): string {
  return `PeerAuthentication ${policy.metadata.namespace ?? 'default'}/${policy.metadata.name}`;
}

/** The one policy in force at each level for this workload. */
export function peerAuthenticationLevels(
  policies: readonly PeerAuthentication[],
  node: Pick<ProxyNode, 'namespace' | 'labels'>,
  rootNamespace: string,
): Partial<Record<PolicyScope, PeerAuthentication>> {
  const applicable = workloadPolicies(policies, node, rootNamespace, (p) => p.spec.selector?.matchLabels);
  const levels: Partial<Record<PolicyScope, PeerAuthentication>> = {};
  for (const scope of ['mesh', 'namespace', 'workload'] as const) {
    const [oldest] = applicable
      .filter((entry) => entry.scope === scope)
      .map((entry) => entry.policy)
      .sort(oldestFirst);
    if (oldest) levels[scope] = oldest;
  }
  return levels;
}

export function effectiveMtlsMode(
  levels: Partial<Record<PolicyScope, PeerAuthentication>>,
  port: number,
): MtlsDecision {
  let decision: MtlsDecision = { mode: DEFAULT_MTLS_MODE };
  for (const scope of ['mesh', 'namespace', 'workload'] as const) {
    const policy = levels[scope];
    const mode = set(policy?.spec.mtls?.mode);
    if (policy && mode) decision = { mode, decidedBy: policyRef(policy) };
  }
  // Port-level settings count only on a selector policy (Istio ignores them elsewhere).
  const workload = levels.workload;
  const portMode = set(workload?.spec.portLevelMtls?.[String(port)]?.mode);
  if (workload && portMode) decision = { mode: portMode, decidedBy: `${policyRef(workload)} port ${port}` };
  return decision;
}
