// Envoy RouteMatch (path specifier, case sensitivity, headers, query parameters, runtime fraction, gRPC, TLS,
// dynamic metadata) compiled to one predicate over the request.
import {
  RouteMatchSchema,
  type RouteMatch,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { firstValue } from '../headers.ts';
import type { RouteMatchInput } from './compiled-route.ts';
import { runtimeFractionOf, sampled } from './fractional-percent.ts';
import { compileHeaderMatchers } from './header-matcher.ts';
import { compileMetadataMatcher, type MetadataPredicate } from './metadata-matcher.ts';
import { compileQueryMatcher, type QueryPredicate } from './query-parameters.ts';
import { compileSafeRegex } from './safe-regex.ts';
import type { CompileResult } from './string-matcher.ts';
import { firstUnsupportedField } from './unsupported-fields.ts';

const SUPPORTED = new Set([
  // The `path_specifier` oneof (connect_matcher and path_match_policy are refused).
  'prefix',
  'path',
  'safeRegex',
  'pathSeparatedPrefix',
  'caseSensitive',
  'runtimeFraction',
  'headers',
  'queryParameters',
  'grpc',
  'tlsContext',
  'dynamicMetadata',
]);

export interface CompiledMatch {
  readonly matches: (input: RouteMatchInput) => boolean;
  /** The literal prefix, for `prefix_rewrite`. */
  readonly prefix?: string;
}

type PathPredicate = (path: string) => boolean;

function pathPredicate(match: RouteMatch): CompileResult<{ test: PathPredicate; prefix?: string }> {
  const caseSensitive = match.caseSensitive ?? true;
  const spec = match.pathSpecifier;
  switch (spec.case) {
    case 'prefix': {
      const prefix = caseSensitive ? spec.value : spec.value.toLowerCase();
      const test: PathPredicate = caseSensitive
        ? (p) => p.startsWith(prefix)
        : (p) => p.toLowerCase().startsWith(prefix);
      return { value: { test, prefix: spec.value } };
    }
    case 'path': {
      const path = caseSensitive ? spec.value : spec.value.toLowerCase();
      return {
        value: {
          test: caseSensitive ? (p) => p === path : (p) => p.toLowerCase() === path,
          prefix: spec.value,
        },
      };
    }
    case 'pathSeparatedPrefix': {
      const prefix = caseSensitive ? spec.value : spec.value.toLowerCase();
      if (prefix.includes('?') || prefix.includes('#') || (prefix.endsWith('/') && prefix !== '/')) {
        return { error: 'path_separated_prefix must not contain ? or # nor end with /' };
      }
      const test: PathPredicate = (raw) => {
        const p = caseSensitive ? raw : raw.toLowerCase();
        return p === prefix || (p.startsWith(prefix) && p[prefix.length] === '/');
      };
      return { value: { test, prefix: spec.value } };
    }
    case 'safeRegex': {
      // As in Envoy, case_sensitive does not apply to regexes.
      const compiled = compileSafeRegex(spec.value.regex);
      if ('error' in compiled) return compiled;
      const regex = compiled.regex;
      return { value: { test: (p) => regex.test(p) } };
    }
    case 'connectMatcher':
      return { error: 'field connect_matcher is not supported' };
    case 'pathMatchPolicy':
      return { error: 'field path_match_policy is not supported' };
    case undefined:
      return { error: 'route match has no path specifier' };
  }
}

export function compileRouteMatch(match: RouteMatch | undefined): CompileResult<CompiledMatch> {
  if (!match) return { error: 'route has no match' };
  const unsupported = firstUnsupportedField(RouteMatchSchema, match, SUPPORTED);
  if (unsupported) return { error: `field match.${unsupported} is not supported` };
  const path = pathPredicate(match);
  if ('error' in path) return { error: `match: ${path.error}` };
  const headers = compileHeaderMatchers(match.headers);
  if ('error' in headers) return { error: `match.headers: ${headers.error}` };
  const queries: QueryPredicate[] = [];
  for (const q of match.queryParameters) {
    const compiled = compileQueryMatcher(q);
    if ('error' in compiled) return { error: `match.query_parameters: ${compiled.error}` };
    queries.push(compiled.value);
  }
  const metadata: MetadataPredicate[] = [];
  for (const m of match.dynamicMetadata) {
    const compiled = compileMetadataMatcher(m);
    if ('error' in compiled) return { error: `match.dynamic_metadata: ${compiled.error}` };
    metadata.push(compiled.value);
  }
  const share = match.runtimeFraction ? runtimeFractionOf(match.runtimeFraction, 1) : undefined;
  const grpc = match.grpc !== undefined;
  const presented = match.tlsContext?.presented;
  const validated = match.tlsContext?.validated;
  const testPath = path.value.test;
  const headerTests = headers.value;
  return {
    value: {
      ...(path.value.prefix !== undefined ? { prefix: path.value.prefix } : {}),
      matches(input) {
        if (!testPath(input.path)) return false;
        for (const test of headerTests) if (!test(input.headers)) return false;
        if (queries.length > 0) {
          const params = input.query();
          for (const test of queries) if (!test(params)) return false;
        }
        for (const test of metadata) if (!test(input.dynamicMetadata)) return false;
        if (grpc && !(firstValue(input.headers, 'content-type') ?? '').startsWith('application/grpc'))
          return false;
        if (presented !== undefined && presented !== input.peerCertificatePresented) return false;
        if (validated !== undefined && validated !== input.peerCertificatePresented) return false;
        if (share !== undefined && !sampled(share, input.random)) return false;
        return true;
      },
    },
  };
}
