// Envoy PathMatcher for RBAC `url_path`: matched on the canonical path without query (the fragment is already
// gone), the same string the router matched and the upstream receives. No path (TCP) never matches.
import type { PathMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/path_pb.ts';
import { compileStringMatcher, type CompileResult } from '../../../http/routing/string-matcher.ts';
import type { AuthorizationPredicate } from './authorization-input.ts';

export function compilePathMatcher(matcher: PathMatcher): CompileResult<AuthorizationPredicate> {
  if (matcher.rule.case !== 'path') return { error: 'url_path matcher has no path' };
  const compiled = compileStringMatcher(matcher.rule.value);
  if ('error' in compiled) return { error: `url_path: ${compiled.error}` };
  const test = compiled.value;
  return { value: (input) => input.path !== undefined && test(input.path) };
}
