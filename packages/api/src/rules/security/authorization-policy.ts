// Semantic rules for AuthorizationPolicy: action and provider, rules, scope and the dry-run annotation.
import { SECURITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkPolicyTarget } from '../common/target-ref.ts';
import { checkRule, type RuleShape } from './authorization-rule.ts';
import { checkDryRunAnnotation } from './dry-run-annotation.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Says which workloads a policy covers, in words, for messages about its effect. */
function describeScope(ctx: RuleContext, spec: Readonly<Record<string, unknown>>): string {
  const selector = isRecord(spec.selector) ? spec.selector.matchLabels : undefined;
  if (isRecord(selector) && Object.keys(selector).length > 0) {
    const labels = Object.entries(selector).map(([key, value]) => `${key}=${String(value)}`);
    return `the workloads labelled ${labels.join(', ')}`;
  }
  if (spec.targetRef !== undefined || spec.targetRefs !== undefined) return 'the targeted resources';
  // A selector-less policy in the root namespace covers the whole mesh; istio-system is the usual root.
  if (ctx.namespace === 'istio-system')
    return 'every workload in the mesh (istio-system is the default root namespace)';
  return `all workloads in namespace "${ctx.namespace}"`;
}

function checkActionAndProvider(
  ctx: RuleContext,
  spec: Readonly<Record<string, unknown>>,
  action: string,
  hasRules: boolean,
): void {
  const provider = isRecord(spec.provider) ? spec.provider : undefined;
  const providerName = typeof provider?.name === 'string' && provider.name !== '' ? provider.name : undefined;
  const rulesPath: FieldPath = spec.rules !== undefined ? ['spec', 'rules'] : ['spec', 'action'];

  if (action === 'CUSTOM') {
    if (!providerName) {
      ctx.error(
        SECURITY_CODES.AUTHZ_PROVIDER_REQUIRED,
        provider ? ['spec', 'provider', 'name'] : ['spec', 'action'],
        'a CUSTOM policy needs "provider: {name: <extension provider>}" naming an extensionProvider from meshConfig',
      );
    }
    if (!hasRules) {
      const target = providerName ? `"${providerName}"` : 'the provider';
      ctx.error(
        SECURITY_CODES.AUTHZ_RULES_REQUIRED,
        rulesPath,
        `a CUSTOM policy without rules never sends a request to ${target}; add rules saying which requests to check, or "rules: [{}]" to send every request`,
      );
    }
  } else if (spec.provider !== undefined && spec.provider !== null) {
    ctx.error(
      SECURITY_CODES.AUTHZ_PROVIDER_WITHOUT_CUSTOM,
      ['spec', 'provider'],
      `"provider" is only used with "action: CUSTOM", not ${action}; set the action to CUSTOM or remove the provider`,
    );
  }

  if (action === 'DENY' && !hasRules) {
    ctx.error(
      SECURITY_CODES.AUTHZ_RULES_REQUIRED,
      rulesPath,
      'a DENY policy without rules never denies anything; add rules saying what to deny, or "rules: [{}]" to deny every request',
    );
  }
  if (action === 'ALLOW' && !hasRules) {
    ctx.info(
      SECURITY_CODES.AUTHZ_ALLOW_NOTHING,
      spec.rules !== undefined ? ['spec', 'rules'] : ['spec'],
      `this ALLOW policy has no rules, so it allows nothing: every request to ${describeScope(ctx, spec)} is denied. Add rules for the traffic to allow, or "rules: [{}]" to allow everything`,
    );
  }
}

function warnDenyOverTcp(ctx: RuleContext, shape: RuleShape, path: FieldPath): void {
  // On a TCP port the HTTP-only parts of a DENY rule cannot be checked and count as matching, so the rule
  // denies more than it says unless its operation is pinned to ports.
  const httpOnlySources = shape.hasSource && !shape.hasOperation && !shape.hasTcpSource;
  const unpinnedOperation = shape.hasOperation && !shape.hasPorts;
  if (!httpOnlySources && !unpinnedOperation) return;
  const effect = shape.hasTcpSource
    ? 'it denies every TCP connection from the sources it lists'
    : 'it denies all TCP traffic in its scope';
  ctx.warn(
    SECURITY_CODES.AUTHZ_DENY_HTTP_ONLY,
    path,
    `this DENY rule matches on HTTP attributes, which cannot be checked on TCP ports, so there ${effect}; add "ports" to its operation to limit it to the HTTP ports`,
  );
}

export const validateAuthorizationPolicy: KindValidator = (ctx, spec) => {
  const action = typeof spec.action === 'string' && spec.action !== '' ? spec.action : 'ALLOW';
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const hasRules = rules.length > 0;

  checkPolicyTarget(ctx, spec);
  checkDryRunAnnotation(ctx, action);
  checkActionAndProvider(ctx, spec, action, hasRules);

  rules.forEach((rule: unknown, index) => {
    const path = ['spec', 'rules', index];
    const shape = checkRule(ctx, rule, path, action === 'CUSTOM');
    if (shape && action === 'DENY') warnDenyOverTcp(ctx, shape, path);
  });
};
