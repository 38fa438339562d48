// RBAC `header` rules: Envoy's HeaderMatcher, value by value (never a comma-joined string), names
// case-insensitive, values trimmed. `host` names the same header as `:authority`, which is where both
// codecs put the request's authority.
import { create } from '@bufbuild/protobuf';
import {
  HeaderMatcherSchema,
  type HeaderMatcher,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { compileHeaderMatcher } from '../../../http/routing/header-matcher.ts';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';
import type { AuthorizationPredicate } from './authorization-input.ts';

export function compileHeaderRule(matcher: HeaderMatcher): CompileResult<AuthorizationPredicate> {
  const effective =
    matcher.name.toLowerCase() === 'host'
      ? create(HeaderMatcherSchema, { ...matcher, name: ':authority' })
      : matcher;
  const compiled = compileHeaderMatcher(effective);
  if ('error' in compiled) return compiled;
  const test = compiled.value;
  return { value: (input) => test(input.headers) };
}
