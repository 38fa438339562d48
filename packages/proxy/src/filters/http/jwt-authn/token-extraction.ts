// Where a provider looks for its token: headers (with a value prefix such as `Bearer `), query parameters and
// cookies; Envoy's default is `Authorization: Bearer <token>` and the `access_token` query parameter. Every
// value of a repeated header is looked at.
import type { JwtProvider } from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import { allValues, type HeaderMap } from '../../../http/headers.ts';
import type { QueryParameters } from '../../../http/routing/query-parameters.ts';

export type TokenLocation =
  | { readonly kind: 'header'; readonly name: string; readonly prefix: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string };

export interface ExtractedToken {
  readonly token: string;
  readonly location: TokenLocation;
}

export function tokenLocations(provider: JwtProvider): TokenLocation[] {
  const locations: TokenLocation[] = [
    ...provider.fromHeaders.map((h): TokenLocation => ({
      kind: 'header',
      name: h.name.toLowerCase(),
      prefix: h.valuePrefix,
    })),
    ...provider.fromParams.map((name): TokenLocation => ({ kind: 'param', name })),
    ...provider.fromCookies.map((name): TokenLocation => ({ kind: 'cookie', name })),
  ];
  if (locations.length > 0) return locations;
  return [
    { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
    { kind: 'param', name: 'access_token' },
  ];
}

export function locationKey(location: TokenLocation): string {
  return location.kind === 'header'
    ? `header:${location.name}:${location.prefix}`
    : `${location.kind}:${location.name}`;
}

/** The token after a value prefix; the prefix's scheme is compared without case, as HTTP auth schemes are. */
function afterPrefix(value: string, prefix: string): string | undefined {
  const trimmed = value.trim();
  if (prefix === '') return trimmed === '' ? undefined : trimmed;
  if (trimmed.length <= prefix.length) return undefined;
  if (trimmed.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const token = trimmed.slice(prefix.length).trim();
  return token === '' ? undefined : token;
}

function cookieValues(headers: HeaderMap, name: string): string[] {
  const out: string[] = [];
  for (const header of allValues(headers, 'cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === name) out.push(pair.slice(eq + 1).trim());
    }
  }
  return out;
}

export function extractTokens(
  locations: readonly TokenLocation[],
  headers: HeaderMap,
  query: () => QueryParameters,
): ExtractedToken[] {
  const out: ExtractedToken[] = [];
  const seen = new Set<string>();
  const add = (token: string | undefined, location: TokenLocation): void => {
    if (token === undefined || token === '' || seen.has(token)) return;
    seen.add(token);
    out.push({ token, location });
  };
  for (const location of locations) {
    switch (location.kind) {
      case 'header':
        for (const value of allValues(headers, location.name))
          add(afterPrefix(value, location.prefix), location);
        break;
      case 'param':
        for (const value of query().get(location.name) ?? []) add(value, location);
        break;
      case 'cookie':
        for (const value of cookieValues(headers, location.name)) add(value, location);
        break;
    }
  }
  return out;
}
