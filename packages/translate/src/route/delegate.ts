// A root VirtualService's rules with `delegate` rules replaced by the delegate VirtualService's rules, merged
// under the delegating rule's match and defaults, as Istio does (one level of delegation).
import type { Delegate, HTTPRoute, VirtualService } from '@heddle/api';
import type { TranslationContext } from '../translate-proxy.ts';
import { mergeMatches, qualifyGateways } from './delegate-match.ts';
import { namespaceOf, resourceLabel, type SourcedRule } from './route-scope.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

/** A delegate has no hosts of its own and must be exported to the root's namespace. */
function findDelegate(
  ctx: TranslationContext,
  delegate: Delegate,
  rootNamespace: string,
): VirtualService | undefined {
  const namespace = delegate.namespace ?? rootNamespace;
  return ctx.index.snapshot.virtualServices.find((vs) => {
    if (vs.metadata.name !== delegate.name || namespaceOf(vs) !== namespace) return false;
    if (vs.spec.hosts?.length) return false;
    const exportTo = vs.spec.exportTo ?? [];
    return (
      exportTo.length === 0 ||
      exportTo.some((e) => e === '*' || e === rootNamespace || (e === '.' && namespace === rootNamespace))
    );
  });
}

/** The delegate's own settings win; the root's fill what the delegate leaves unset. */
function mergeRule(
  root: HTTPRoute,
  rootNamespace: string,
  leaf: HTTPRoute,
  leafNamespace: string,
): HTTPRoute | undefined {
  const match = mergeMatches(
    qualifyGateways(root.match, rootNamespace),
    qualifyGateways(leaf.match, leafNamespace),
  );
  if (!match) return undefined;
  const name = root.name && leaf.name ? `${root.name}-${leaf.name}` : (leaf.name ?? root.name);
  return {
    ...leaf,
    ...(name !== undefined ? { name } : {}),
    match,
    rewrite: leaf.rewrite ?? root.rewrite,
    directResponse: leaf.directResponse ?? root.directResponse,
    timeout: leaf.timeout ?? root.timeout,
    retries: leaf.retries ?? root.retries,
    fault: leaf.fault ?? root.fault,
    mirror: leaf.mirror ?? root.mirror,
    mirrorPercent: leaf.mirrorPercent ?? root.mirrorPercent,
    mirrorPercentage: leaf.mirrorPercentage ?? root.mirrorPercentage,
    mirrors: leaf.mirrors ?? root.mirrors,
    corsPolicy: leaf.corsPolicy ?? root.corsPolicy,
    headers: leaf.headers ?? root.headers,
  };
}

export function expandRules(ctx: TranslationContext, vs: VirtualService): SourcedRule[] {
  const namespace = namespaceOf(vs);
  const out: SourcedRule[] = [];
  for (const rule of vs.spec.http ?? []) {
    if (!rule.delegate) {
      out.push({ rule, namespace, virtualService: vs });
      continue;
    }
    const child = findDelegate(ctx, rule.delegate, namespace);
    if (!child) {
      ctx.warn({
        code: ROUTE_WARNINGS.DELEGATE_NOT_FOUND,
        message: `delegate VirtualService ${rule.delegate.namespace ?? namespace}/${rule.delegate.name ?? ''} does not exist, has hosts, or is not exported to ${namespace}; the rule is left out`,
        resource: resourceLabel(vs),
      });
      continue;
    }
    const childNamespace = namespaceOf(child);
    for (const childRule of child.spec.http ?? []) {
      // Only one level: a delegate's own delegate rules are ignored, as in Istio.
      if (childRule.delegate) continue;
      const merged = mergeRule(rule, namespace, childRule, childNamespace);
      if (!merged) {
        ctx.warn({
          code: ROUTE_WARNINGS.DELEGATE_MATCH_CONFLICT,
          message: `rule ${childRule.name ?? '(unnamed)'} matches outside the delegating rule's match in ${resourceLabel(vs)}; it is left out`,
          resource: resourceLabel(child),
        });
        continue;
      }
      out.push({ rule: merged, namespace: childNamespace, virtualService: child });
    }
  }
  return out;
}
