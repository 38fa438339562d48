// One RBAC rule set (Envoy's config.rbac.v3.RBAC) compiled once: named policies, each matching when any of its
// permissions and any of its principals match, and the action that decides what a match means.
import { RBAC_Action, type RBAC } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';
import type { AuthorizationInput, AuthorizationPredicate } from './authorization-input.ts';
import { compilePermission } from './compile-permission.ts';
import { compilePrincipal } from './compile-principal.ts';

export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

interface CompiledPolicy {
  readonly name: string;
  readonly permissions: readonly AuthorizationPredicate[];
  readonly principals: readonly AuthorizationPredicate[];
}

export interface RbacEngine {
  readonly action: RbacAction;
  readonly policies: readonly CompiledPolicy[];
}

export interface RbacDecision {
  readonly allowed: boolean;
  /** The policy that decided (matched), when one did. */
  readonly policyId?: string;
}

const ACTIONS: Readonly<Record<number, RbacAction>> = {
  [RBAC_Action.ALLOW]: 'ALLOW',
  [RBAC_Action.DENY]: 'DENY',
  [RBAC_Action.LOG]: 'LOG',
};

export function compileRbacEngine(rbac: RBAC, where: string): CompileResult<RbacEngine> {
  const action = ACTIONS[rbac.action];
  if (!action) return { error: `${where}: unknown action ${rbac.action}` };
  if (rbac.auditLoggingOptions?.loggerConfigs.length) {
    return { error: `${where}: audit_logging_options loggers are not supported` };
  }
  const policies: CompiledPolicy[] = [];
  // Sorted by name so evaluation order, and so the matched policy reported, is stable.
  for (const name of Object.keys(rbac.policies).sort()) {
    const policy = rbac.policies[name];
    if (!policy) continue;
    const at = `${where}.policies[${name}]`;
    if (policy.condition || policy.checkedCondition) {
      return { error: `${at}: condition (CEL) is not supported` };
    }
    const permissions: AuthorizationPredicate[] = [];
    for (const permission of policy.permissions) {
      const compiled = compilePermission(permission);
      if ('error' in compiled) return { error: `${at}.permissions: ${compiled.error}` };
      permissions.push(compiled.value);
    }
    const principals: AuthorizationPredicate[] = [];
    for (const principal of policy.principals) {
      const compiled = compilePrincipal(principal);
      if ('error' in compiled) return { error: `${at}.principals: ${compiled.error}` };
      principals.push(compiled.value);
    }
    policies.push({ name, permissions, principals });
  }
  return { value: { action, policies } };
}

/** The first policy (by name) whose permissions and principals both match. */
export function matchingPolicy(engine: RbacEngine, input: AuthorizationInput): string | undefined {
  for (const policy of engine.policies) {
    if (policy.permissions.some((p) => p(input)) && policy.principals.some((p) => p(input))) {
      return policy.name;
    }
  }
  return undefined;
}

/** ALLOW: allowed only when a policy matches. DENY: denied when one matches. LOG: always allowed. */
export function evaluateRbac(engine: RbacEngine, input: AuthorizationInput): RbacDecision {
  const policyId = matchingPolicy(engine, input);
  const matched = policyId !== undefined;
  const allowed = engine.action === 'ALLOW' ? matched : engine.action === 'DENY' ? !matched : true;
  return { allowed, ...(matched ? { policyId } : {}) };
}
