// Peer principals as authorization policies match them: `<trust-domain>/ns/<namespace>/sa/<service-account>`,
// written without `spiffe://`, with Istio's exact, `prefix*`, `*suffix` and `*` (presence) forms.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { isDns1123Label, isDns1123Subdomain } from './values.ts';

export const SPIFFE_PREFIX = 'spiffe://';

export interface PrincipalProblem {
  readonly level: 'Error' | 'Warning';
  readonly message: string;
}

/** Returns what is wrong with a principal, or undefined when it can match a workload identity. */
export function principalProblem(value: string): PrincipalProblem | undefined {
  if (value === '') return { level: 'Error', message: 'a principal must not be empty; remove the entry' };
  if (value.toLowerCase().startsWith(SPIFFE_PREFIX)) {
    // Istio prepends spiffe:// itself when it matches, so a written prefix can never match.
    return {
      level: 'Error',
      message: `write the identity without "spiffe://" ("${value.slice(SPIFFE_PREFIX.length)}"): it is added when matching, so this principal would never match`,
    };
  }
  if (value === '*') return undefined;
  const inner = value.replace(/^\*/, '').replace(/\*$/, '');
  if (inner.includes('*')) {
    return {
      level: 'Warning',
      message: `"${value}" has a "*" that is neither leading nor trailing, and such a "*" is matched literally; use one wildcard at the start or end, e.g. "cluster.local/ns/default/*"`,
    };
  }
  if (value.startsWith('*') || value.endsWith('*')) return undefined;
  return exactIdentityProblem(value);
}

function exactIdentityProblem(value: string): PrincipalProblem | undefined {
  const parts = value.split('/');
  if (parts.length === 1) {
    return {
      level: 'Warning',
      message: `"${value}" is not a workload identity; principals look like "cluster.local/ns/<namespace>/sa/<service-account>" (or use "namespaces" / "serviceAccounts")`,
    };
  }
  // Other SPIFFE layouts exist (workloads with certificates from another CA), so only a path that clearly
  // tries to be an Istio identity is held to the Istio layout.
  if (!parts.includes('ns') && !parts.includes('sa')) return undefined;
  const [trustDomain, ns, namespace, sa, account] = parts;
  const wellFormed =
    parts.length === 5 &&
    trustDomain !== '' &&
    ns === 'ns' &&
    sa === 'sa' &&
    namespace !== undefined &&
    isDns1123Label(namespace) &&
    account !== undefined &&
    isDns1123Subdomain(account);
  if (wellFormed) return undefined;
  return {
    level: 'Warning',
    message: `"${value}" does not follow "<trust-domain>/ns/<namespace>/sa/<service-account>" (e.g. "cluster.local/ns/default/sa/sleep"), so it will not match workload identities`,
  };
}

/** Reports a principal's problem (if any) at `path` with the principal code. */
export function checkPrincipal(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (typeof value !== 'string') return;
  const problem = principalProblem(value);
  if (!problem) return;
  ctx.report(problem.level, COMMON_CODES.PRINCIPAL_INVALID, path, problem.message);
}
