// `@request.auth.claims.*` header matches (JWT claim routing on gateways) as dynamic-metadata matchers.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { StringMatch } from '@heddle/api';
import { HTTP_FILTERS } from '@heddle/xds';
import {
  MetadataMatcherSchema,
  type MetadataMatcher,
} from '@heddle/xds/gen/envoy/type/matcher/v3/metadata_pb.ts';
import type { ValueMatcherSchema } from '@heddle/xds/gen/envoy/type/matcher/v3/value_pb.ts';
import { stringMatcher } from './string-match.ts';

const CLAIMS_PREFIX = '@request.auth.claims';

/**
 * Key under `envoy.filters.http.jwt_authn` dynamic metadata where the verified JWT payload is expected: the
 * JWT providers Heddle configures must set `payload_in_metadata` to this, or claim routes never match.
 */
export const JWT_PAYLOAD_METADATA_KEY = 'payload';

/** True for Istio's `@`-prefixed match names, which match request metadata rather than a header. */
export function isMetadataMatchName(name: string): boolean {
  return name.startsWith('@');
}

/**
 * The claim path of `@request.auth.claims.a.b` or `@request.auth.claims[a][b]` (the bracket form allows dots
 * inside claim names); undefined for any other name.
 */
export function claimPath(name: string): string[] | undefined {
  if (!name.startsWith(CLAIMS_PREFIX)) return undefined;
  const rest = name.slice(CLAIMS_PREFIX.length);
  if (rest.startsWith('.')) {
    const parts = rest.slice(1).split('.');
    return parts.every((part) => part !== '') ? parts : undefined;
  }
  if (/^(?:\[[^[\]]+\])+$/.test(rest)) return [...rest.matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] ?? '');
  return undefined;
}

/** A claim may be a string or a list of strings (`groups`); either form matches. */
export function claimMatcher(
  claims: readonly string[],
  match: StringMatch | undefined,
  invert: boolean,
): MetadataMatcher {
  const matcher = stringMatcher(match);
  const value: MessageInitShape<typeof ValueMatcherSchema> = matcher
    ? {
        matchPattern: {
          case: 'orMatch',
          value: {
            valueMatchers: [
              { matchPattern: { case: 'stringMatch', value: matcher } },
              {
                matchPattern: {
                  case: 'listMatch',
                  value: {
                    matchPattern: {
                      case: 'oneOf',
                      value: { matchPattern: { case: 'stringMatch', value: matcher } },
                    },
                  },
                },
              },
            ],
          },
        },
      }
    : { matchPattern: { case: 'presentMatch', value: true } };
  return create(MetadataMatcherSchema, {
    filter: HTTP_FILTERS.JWT_AUTHN,
    path: [JWT_PAYLOAD_METADATA_KEY, ...claims].map((key) => ({
      segment: { case: 'key' as const, value: key },
    })),
    value,
    invert,
  });
}
