// Istio StringMatch (exact | prefix | regex, `{}` for presence) as Envoy string, header and query matchers.
import { create } from '@bufbuild/protobuf';
import type { StringMatch } from '@heddle/api';
import {
  HeaderMatcherSchema,
  QueryParameterMatcherSchema,
  type HeaderMatcher,
  type QueryParameterMatcher,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { StringMatcherSchema, type StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';

/**
 * Undefined when the match only asks for presence: `{}`, or an empty prefix, which Envoy's StringMatcher
 * rejects (prefix has a minimum length of 1) and which every present value satisfies anyway.
 */
export function stringMatcher(match: StringMatch | undefined, ignoreCase = false): StringMatcher | undefined {
  if (match?.exact !== undefined) {
    return create(StringMatcherSchema, { matchPattern: { case: 'exact', value: match.exact }, ignoreCase });
  }
  if (match?.prefix !== undefined && match.prefix !== '') {
    return create(StringMatcherSchema, { matchPattern: { case: 'prefix', value: match.prefix }, ignoreCase });
  }
  if (match?.regex !== undefined) {
    return create(StringMatcherSchema, {
      matchPattern: { case: 'safeRegex', value: { regex: match.regex } },
      ignoreCase,
    });
  }
  return undefined;
}

export function headerMatcher(name: string, match: StringMatch | undefined, invert: boolean): HeaderMatcher {
  const matcher = stringMatcher(match);
  return create(HeaderMatcherSchema, {
    name,
    headerMatchSpecifier: matcher
      ? { case: 'stringMatch', value: matcher }
      : { case: 'presentMatch', value: true },
    invertMatch: invert,
  });
}

export function queryParameterMatcher(name: string, match: StringMatch | undefined): QueryParameterMatcher {
  const matcher = stringMatcher(match);
  return create(QueryParameterMatcherSchema, {
    name,
    queryParameterMatchSpecifier: matcher
      ? { case: 'stringMatch', value: matcher }
      : { case: 'presentMatch', value: true },
  });
}
