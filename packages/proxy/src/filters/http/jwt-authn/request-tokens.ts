// The tokens of one request and the verdicts on them: decoding is memoized per token, signatures come from the
// provider's cache or this request's finished verifications; a signature not checked yet is reported as
// pending so the filter can verify it asynchronously and evaluate again.
import type { HeaderMap } from '../../../http/headers.ts';
import type { QueryParameters } from '../../../http/routing/query-parameters.ts';
import { checkClaims } from './check-claims.ts';
import { decodeToken, type DecodedToken } from './decode-token.ts';
import { JWT_STATUS, type JwtStatus } from './jwt-status.ts';
import type { CompiledProvider } from './provider.ts';
import type { TokenJudge, VerifiedToken } from './requirement.ts';
import { extractTokens, locationKey, type ExtractedToken, type TokenLocation } from './token-extraction.ts';
import { algorithmAllowed } from './verify-signature.ts';

export interface PendingVerification {
  readonly provider: CompiledProvider;
  readonly decoded: DecodedToken;
}

/** Finished signature checks of this request by `provider\0token`: undefined means good. */
export type SignatureResults = Map<string, JwtStatus | undefined>;

export function signatureKey(provider: CompiledProvider, token: string): string {
  return `${provider.name}\0${token}`;
}

export class RequestTokens implements TokenJudge {
  readonly pending = new Map<string, PendingVerification>();
  readonly #headers: HeaderMap;
  readonly #query: () => QueryParameters;
  readonly #providers: readonly CompiledProvider[];
  readonly #allLocations: readonly TokenLocation[];
  readonly #nowSeconds: number;
  readonly #results: SignatureResults;
  readonly #decoded = new Map<string, DecodedToken | { readonly error: JwtStatus }>();

  constructor(
    headers: HeaderMap,
    query: () => QueryParameters,
    providers: readonly CompiledProvider[],
    allLocations: readonly TokenLocation[],
    nowSeconds: number,
    results: SignatureResults,
  ) {
    this.#headers = headers;
    this.#query = query;
    this.#providers = providers;
    this.#allLocations = allLocations;
    this.#nowSeconds = nowSeconds;
    this.#results = results;
  }

  tokensAt(locations: readonly TokenLocation[]): readonly ExtractedToken[] {
    return extractTokens(locations, this.#headers, this.#query);
  }

  allTokens(): readonly ExtractedToken[] {
    return this.tokensAt(this.#allLocations);
  }

  providersFor(token: ExtractedToken): readonly CompiledProvider[] {
    const decoded = this.#decode(token.token);
    // An undecodable token is judged by every provider, so the answer names the format problem.
    if ('error' in decoded) return this.#providers;
    const key = locationKey(token.location);
    return this.#providers.filter(
      (p) => p.issuer === decoded.payload['iss'] && p.locations.some((l) => locationKey(l) === key),
    );
  }

  judge(
    provider: CompiledProvider,
    token: ExtractedToken,
    audiences: readonly string[] | undefined,
  ): VerifiedToken | JwtStatus {
    const decoded = this.#decode(token.token);
    if ('error' in decoded) return decoded.error;
    if (!algorithmAllowed(decoded.header)) return JWT_STATUS.algNotAllowed;
    if (provider.issuer !== '' && decoded.payload['iss'] !== provider.issuer) return JWT_STATUS.unknownIssuer;
    // Claims first: an expired token needs no signature work.
    const claims = checkClaims(
      decoded.payload,
      audiences ? { ...provider.claims, audiences } : provider.claims,
      this.#nowSeconds,
    );
    if (claims) return claims;
    const key = signatureKey(provider, token.token);
    if (!provider.cache.has(token.token, this.#nowSeconds)) {
      if (!this.#results.has(key)) {
        this.pending.set(key, { provider, decoded });
        return JWT_STATUS.pending;
      }
      const failure = this.#results.get(key);
      if (failure) return failure;
    }
    return { provider, token, payload: decoded.payload, payloadSegment: decoded.payloadSegment };
  }

  #decode(token: string): DecodedToken | { readonly error: JwtStatus } {
    let decoded = this.#decoded.get(token);
    if (!decoded) {
      decoded = decodeToken(token);
      this.#decoded.set(token, decoded);
    }
    return decoded;
  }
}
