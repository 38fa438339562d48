// One JwtProvider compiled once: issuer, claim rules, key set, token locations and what a verified token
// produces (forwarded payload, claim headers, metadata). remote_jwks is refused: the control plane inlines keys.
import { durationMs } from '@bufbuild/protobuf/wkt';
import type { JwtProvider } from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import { compileStringMatcher, type CompileResult } from '../../../http/routing/string-matcher.ts';
import type { ClaimRules } from './check-claims.ts';
import { compileInlineJwks, type KeyResolver } from './jwks.ts';
import { SignatureCache } from './signature-cache.ts';
import { tokenLocations, type TokenLocation } from './token-extraction.ts';

export interface ClaimToHeader {
  readonly header: string;
  readonly claim: string;
}

export interface CompiledProvider {
  readonly name: string;
  readonly issuer: string;
  readonly claims: ClaimRules;
  readonly keys: KeyResolver;
  readonly cache: SignatureCache;
  readonly locations: readonly TokenLocation[];
  readonly forward: boolean;
  readonly forwardPayloadHeader?: string;
  readonly padForwardPayloadHeader: boolean;
  readonly payloadInMetadata?: string;
  readonly claimToHeaders: readonly ClaimToHeader[];
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Envoy's default clock skew. */
const DEFAULT_CLOCK_SKEW_SECONDS = 60;

function checkHeaderName(name: string, where: string): string | undefined {
  return HEADER_NAME.test(name) ? undefined : `${where}: ${JSON.stringify(name)} is not a valid header name`;
}

export function compileProvider(name: string, provider: JwtProvider): CompileResult<CompiledProvider> {
  const where = `jwt_authn.providers[${name}]`;
  const source = provider.jwksSourceSpecifier;
  if (source.case === 'remoteJwks') {
    return {
      error: `${where}: remote_jwks is not supported; the control plane must inline the JWKS as local_jwks`,
    };
  }
  if (source.case !== 'localJwks') return { error: `${where}: local_jwks is required` };
  const spec = source.value.specifier;
  if (spec.case !== 'inlineString') return { error: `${where}: local_jwks must be an inline_string` };
  const keys = compileInlineJwks(spec.value, where);
  if ('error' in keys) return keys;
  let subjects;
  if (provider.subjects) {
    const compiled = compileStringMatcher(provider.subjects);
    if ('error' in compiled) return { error: `${where}.subjects: ${compiled.error}` };
    subjects = compiled.value;
  }
  const forwardPayloadHeader = provider.forwardPayloadHeader.toLowerCase();
  const claimToHeaders = provider.claimToHeaders.map((c) => ({
    header: c.headerName.toLowerCase(),
    claim: c.claimName,
  }));
  for (const header of [
    ...(forwardPayloadHeader !== '' ? [forwardPayloadHeader] : []),
    ...claimToHeaders.map((c) => c.header),
  ]) {
    const bad = checkHeaderName(header, where);
    if (bad) return { error: bad };
  }
  const locations = tokenLocations(provider);
  for (const location of locations) {
    if (location.kind === 'header') {
      const bad = checkHeaderName(location.name, `${where}.from_headers`);
      if (bad) return { error: bad };
    }
  }
  const claims: ClaimRules = {
    audiences: provider.audiences,
    clockSkewSeconds:
      provider.clockSkewSeconds !== 0 ? provider.clockSkewSeconds : DEFAULT_CLOCK_SKEW_SECONDS,
    requireExpiration: provider.requireExpiration,
    ...(provider.maxLifetime ? { maxLifetimeSeconds: durationMs(provider.maxLifetime) / 1000 } : {}),
    ...(subjects ? { subjects } : {}),
  };
  return {
    value: {
      name,
      issuer: provider.issuer,
      claims,
      keys: keys.value,
      cache: new SignatureCache(provider.jwtCacheConfig?.jwtCacheSize || undefined),
      locations,
      forward: provider.forward,
      ...(forwardPayloadHeader !== '' ? { forwardPayloadHeader } : {}),
      padForwardPayloadHeader: provider.padForwardPayloadHeader,
      ...(provider.payloadInMetadata !== '' ? { payloadInMetadata: provider.payloadInMetadata } : {}),
      claimToHeaders,
    },
  };
}
