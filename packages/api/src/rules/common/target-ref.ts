// Where a policy applies: a workload `selector`, or `targetRef`/`targetRefs` pointing at a Gateway, Service …
// Shared by AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkLabels } from './selector.ts';
import { isDns1123Subdomain } from './values.ts';

export interface TargetKind {
  /** Canonical group; '' is the Kubernetes core group (also written "core"). */
  readonly group: string;
  readonly kind: string;
}

export const GATEWAY_TARGET: TargetKind = { group: 'gateway.networking.k8s.io', kind: 'Gateway' };
export const GATEWAY_CLASS_TARGET: TargetKind = { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' };
export const SERVICE_TARGET: TargetKind = { group: '', kind: 'Service' };
export const SERVICE_ENTRY_TARGET: TargetKind = { group: 'networking.istio.io', kind: 'ServiceEntry' };

/** What Istio's policy kinds accept today (GatewayClass only from the root namespace, Service for waypoints). */
export const POLICY_TARGET_KINDS: readonly TargetKind[] = [
  GATEWAY_TARGET,
  GATEWAY_CLASS_TARGET,
  SERVICE_TARGET,
  SERVICE_ENTRY_TARGET,
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function canonicalGroup(group: unknown): string {
  return typeof group !== 'string' || group === 'core' ? '' : group;
}

function describeKind(target: TargetKind): string {
  return `${target.kind} (${target.group === '' ? 'core' : target.group})`;
}

/**
 * Checks `selector`, `targetRef` and `targetRefs` of a policy: at most one of them, valid selector labels,
 * and each reference local, named and of an allowed kind.
 */
export function checkPolicyTarget(
  ctx: RuleContext,
  spec: Readonly<Record<string, unknown>>,
  allowed: readonly TargetKind[] = POLICY_TARGET_KINDS,
): void {
  const hasSelector = spec.selector !== undefined && spec.selector !== null;
  const hasTargetRef = spec.targetRef !== undefined && spec.targetRef !== null;
  const hasTargetRefs = Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0;

  if (hasSelector && (hasTargetRef || hasTargetRefs)) {
    ctx.error(
      COMMON_CODES.SELECTOR_WITH_TARGET_REF,
      ['spec', hasTargetRefs ? 'targetRefs' : 'targetRef'],
      'a policy applies either to the workloads of a selector or to the resources of targetRefs, not both; remove "selector" or the target references',
    );
  }
  if (hasTargetRef && hasTargetRefs) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      ['spec', 'targetRef'],
      'set either "targetRef" or "targetRefs", not both; move this reference into the "targetRefs" list',
    );
  }

  if (hasSelector) checkSelector(ctx, spec.selector, ['spec', 'selector']);
  if (hasTargetRef) checkTargetRef(ctx, spec.targetRef, ['spec', 'targetRef'], allowed);
  if (Array.isArray(spec.targetRefs)) {
    const seen = new Set<string>();
    spec.targetRefs.forEach((ref: unknown, index) => {
      const path = ['spec', 'targetRefs', index];
      checkTargetRef(ctx, ref, path, allowed);
      if (!isRecord(ref)) return;
      const key = `${canonicalGroup(ref.group)}/${String(ref.kind)}/${String(ref.name)}`;
      if (seen.has(key)) {
        ctx.warn(COMMON_CODES.DUPLICATE_ENTRY, path, 'this target is listed twice; remove the duplicate');
      }
      seen.add(key);
    });
  }
}

function checkSelector(ctx: RuleContext, selector: unknown, path: FieldPath): void {
  if (!isRecord(selector)) return;
  const labels = selector.matchLabels;
  if (labels === undefined || labels === null) {
    ctx.warn(
      COMMON_CODES.SELECTOR_EMPTY,
      path,
      'the selector has no matchLabels, so it selects every workload in the namespace; add labels or remove the selector',
    );
    return;
  }
  checkLabels(ctx, labels, [...path, 'matchLabels'], {
    emptyWarning:
      'matchLabels is empty, so the selector selects every workload in the namespace; add labels or remove the selector',
  });
}

function checkTargetRef(
  ctx: RuleContext,
  ref: unknown,
  path: FieldPath,
  allowed: readonly TargetKind[],
): void {
  if (!isRecord(ref)) return;
  // A missing or empty name is already reported by the CRD schema (required, minLength 1); only a name that
  // can never match a resource is left to report here.
  if (typeof ref.name === 'string' && ref.name !== '' && !isDns1123Subdomain(ref.name)) {
    ctx.error(
      COMMON_CODES.TARGET_REF_INVALID,
      [...path, 'name'],
      `"${ref.name}" is not a valid resource name; use lower-case letters, digits, "-" and "."`,
    );
  }
  if (typeof ref.namespace === 'string' && ref.namespace !== '') {
    ctx.error(
      COMMON_CODES.TARGET_REF_INVALID,
      [...path, 'namespace'],
      'a policy can only target resources in its own namespace; remove "namespace" and create the policy in that namespace instead',
    );
  }
  if (typeof ref.kind !== 'string' || ref.kind === '') return;
  const group = canonicalGroup(ref.group);
  if (allowed.some((target) => target.kind === ref.kind && target.group === group)) return;
  const sameKind = allowed.find((target) => target.kind === ref.kind);
  if (sameKind) {
    ctx.error(
      COMMON_CODES.TARGET_REF_INVALID,
      [...path, ref.group === undefined ? 'kind' : 'group'],
      sameKind.group === ''
        ? `${sameKind.kind} is in the core group; set group to "" or leave it out`
        : `${sameKind.kind} is in group "${sameKind.group}"; set group: ${sameKind.group}`,
    );
    return;
  }
  ctx.error(
    COMMON_CODES.TARGET_REF_INVALID,
    [...path, 'kind'],
    `a policy cannot target a ${ref.kind}; it can target ${allowed.map(describeKind).join(', ')}`,
  );
}
