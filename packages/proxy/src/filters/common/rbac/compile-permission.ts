// Envoy RBAC Permission rules compiled to predicates over an AuthorizationInput (the "what" of a policy).
import type { Permission } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { compileMetadataMatcher } from '../../../http/routing/metadata-matcher.ts';
import { compileStringMatcher, type CompileResult } from '../../../http/routing/string-matcher.ts';
import { compileCidr } from './address-matchers.ts';
import type { AuthorizationPredicate } from './authorization-input.ts';
import { compileHeaderRule } from './header-rule.ts';
import { compilePathMatcher } from './path-matcher.ts';

/** Nesting deeper than this is refused: evaluation is recursive and a config must not exhaust the stack. */
export const MAX_RULE_DEPTH = 64;

function compileAll(
  rules: readonly Permission[],
  depth: number,
): CompileResult<readonly AuthorizationPredicate[]> {
  const out: AuthorizationPredicate[] = [];
  for (const rule of rules) {
    const compiled = compilePermission(rule, depth + 1);
    if ('error' in compiled) return compiled;
    out.push(compiled.value);
  }
  return { value: out };
}

export function compilePermission(permission: Permission, depth = 0): CompileResult<AuthorizationPredicate> {
  if (depth > MAX_RULE_DEPTH) return { error: `permission rules nest deeper than ${MAX_RULE_DEPTH}` };
  const rule = permission.rule;
  switch (rule.case) {
    case 'andRules': {
      const all = compileAll(rule.value.rules, depth);
      if ('error' in all) return all;
      const parts = all.value;
      return { value: (input) => parts.every((p) => p(input)) };
    }
    case 'orRules': {
      const all = compileAll(rule.value.rules, depth);
      if ('error' in all) return all;
      const parts = all.value;
      return { value: (input) => parts.some((p) => p(input)) };
    }
    case 'notRule': {
      const inner = compilePermission(rule.value, depth + 1);
      if ('error' in inner) return inner;
      const test = inner.value;
      return { value: (input) => !test(input) };
    }
    case 'any':
      return { value: () => rule.value };
    case 'header':
      return compileHeaderRule(rule.value);
    case 'urlPath':
      return compilePathMatcher(rule.value);
    case 'destinationIp': {
      const compiled = compileCidr(rule.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.destinationIp) };
    }
    case 'destinationPort': {
      const port = rule.value;
      return { value: (input) => input.destinationPort === port };
    }
    case 'destinationPortRange': {
      const { start, end } = rule.value;
      return { value: (input) => input.destinationPort >= start && input.destinationPort < end };
    }
    case 'metadata': {
      const compiled = compileMetadataMatcher(rule.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.dynamicMetadata) };
    }
    case 'requestedServerName': {
      const compiled = compileStringMatcher(rule.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.connection.serverName ?? '') };
    }
    case 'matcher':
      return { error: 'permission rule `matcher` (extension matchers) is not supported' };
    case 'uriTemplate':
      return { error: 'permission rule `uri_template` is not supported' };
    case undefined:
      return { error: 'permission has no rule' };
  }
}
