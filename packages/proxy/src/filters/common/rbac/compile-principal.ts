// Envoy RBAC Principal rules compiled to predicates over an AuthorizationInput (the "who" of a policy).
// Identity comes only from a verified client certificate: plaintext and certificate-less TLS have none, so
// `authenticated` never matches them.
import type { Principal } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { compileMetadataMatcher } from '../../../http/routing/metadata-matcher.ts';
import { compileStringMatcher, type CompileResult } from '../../../http/routing/string-matcher.ts';
import { compileCidr } from './address-matchers.ts';
import type { AuthorizationPredicate } from './authorization-input.ts';
import { compileHeaderRule } from './header-rule.ts';
import { MAX_RULE_DEPTH } from './compile-permission.ts';
import { compilePathMatcher } from './path-matcher.ts';

function compileAll(
  ids: readonly Principal[],
  depth: number,
): CompileResult<readonly AuthorizationPredicate[]> {
  const out: AuthorizationPredicate[] = [];
  for (const id of ids) {
    const compiled = compilePrincipal(id, depth + 1);
    if ('error' in compiled) return compiled;
    out.push(compiled.value);
  }
  return { value: out };
}

export function compilePrincipal(principal: Principal, depth = 0): CompileResult<AuthorizationPredicate> {
  if (depth > MAX_RULE_DEPTH) return { error: `principal rules nest deeper than ${MAX_RULE_DEPTH}` };
  const id = principal.identifier;
  switch (id.case) {
    case 'andIds': {
      const all = compileAll(id.value.ids, depth);
      if ('error' in all) return all;
      const parts = all.value;
      return { value: (input) => parts.every((p) => p(input)) };
    }
    case 'orIds': {
      const all = compileAll(id.value.ids, depth);
      if ('error' in all) return all;
      const parts = all.value;
      return { value: (input) => parts.some((p) => p(input)) };
    }
    case 'notId': {
      const inner = compilePrincipal(id.value, depth + 1);
      if ('error' in inner) return inner;
      const test = inner.value;
      return { value: (input) => !test(input) };
    }
    case 'any':
      return { value: () => id.value };
    case 'authenticated': {
      const name = id.value.principalName;
      if (!name) return { value: (input) => input.connection.peerPrincipal !== undefined };
      const compiled = compileStringMatcher(name);
      if ('error' in compiled) return { error: `authenticated.principal_name: ${compiled.error}` };
      const test = compiled.value;
      return {
        value: (input) => {
          const peer = input.connection.peerPrincipal;
          return peer !== undefined && input.connection.tls && test(peer);
        },
      };
    }
    // source_ip is the deprecated name of direct_remote_ip.
    case 'sourceIp':
    case 'directRemoteIp': {
      const compiled = compileCidr(id.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.directRemoteIp) };
    }
    case 'remoteIp': {
      const compiled = compileCidr(id.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.remoteIp) };
    }
    case 'header':
      return compileHeaderRule(id.value);
    case 'urlPath':
      return compilePathMatcher(id.value);
    case 'metadata': {
      const compiled = compileMetadataMatcher(id.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (input) => test(input.dynamicMetadata) };
    }
    case 'filterState':
      return { error: 'principal `filter_state` is not supported' };
    case undefined:
      return { error: 'principal has no identifier' };
  }
}
