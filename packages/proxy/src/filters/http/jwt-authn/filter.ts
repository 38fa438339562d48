// The per-stream jwt_authn filter: picks the requirement (per-route config or the first matching rule), judges
// the request's tokens, and lets it through or answers 401. Tokens whose signatures are cached are decided
// synchronously; otherwise the filter stops, verifies with jose, and resumes.
import type { HeaderMap } from '../../../http/headers.ts';
import { firstValue } from '../../../http/headers.ts';
import { parseQuery, type QueryParameters } from '../../../http/routing/query-parameters.ts';
import type { Counter } from '../../../stats/stats-sink.ts';
import { policyPath } from '../../common/rbac/http-input.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import { applyVerified } from './apply-verified.ts';
import type { JwtAuthnConfig, JwtAuthnPerRoute } from './config.ts';
import { JWT_STATUS, jwtDenyDetails, type JwtStatus } from './jwt-status.ts';
import { RequestTokens, type SignatureResults } from './request-tokens.ts';
import { evaluateRequirement, type Requirement, type RequirementResult } from './requirement.ts';
import { verifySignature } from './verify-signature.ts';

export interface JwtAuthnStats {
  readonly allowed: Counter;
  readonly denied: Counter;
  readonly corsPreflightBypassed: Counter;
}

export interface JwtAuthnShared {
  readonly config: JwtAuthnConfig;
  readonly stats: JwtAuthnStats;
}

/** Rounds of asynchronous verification one request may need (requires_all can reveal tokens in turn). */
const MAX_ROUNDS = 4;

export class JwtAuthnFilter implements HttpStreamFilter {
  readonly #shared: JwtAuthnShared;
  readonly #callbacks: FilterCallbacks;
  #query: QueryParameters | undefined;
  #destroyed = false;

  constructor(shared: JwtAuthnShared, callbacks: FilterCallbacks) {
    this.#shared = shared;
    this.#callbacks = callbacks;
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    const config = this.#shared.config;
    // Only a verified token may set these: a client's own copies never pass.
    for (const name of config.outputHeaders) delete headers[name];
    const requirement = this.#requirement(headers);
    if (!requirement || requirement.kind === 'none') return 'continue';
    const results: SignatureResults = new Map();
    const first = this.#evaluate(requirement, headers, results);
    if (first.pending.size === 0) return this.#finish(headers, first.result) ? 'continue' : 'stop';
    void this.#verifyAndResume(requirement, headers, results, first.pending, 1);
    return 'stop';
  }

  onDestroy(): void {
    this.#destroyed = true;
  }

  #requirement(headers: HeaderMap): Requirement | undefined {
    const config = this.#shared.config;
    const perRoute = this.#callbacks.perFilterConfig()?.config as JwtAuthnPerRoute | undefined;
    if (perRoute) {
      if ('disabled' in perRoute) return undefined;
      return config.requirementMap.get(perRoute.requirementName);
    }
    if (
      config.bypassCorsPreflight &&
      headers[':method'] === 'OPTIONS' &&
      headers['origin'] !== undefined &&
      headers['access-control-request-method'] !== undefined
    ) {
      this.#shared.stats.corsPreflightBypassed.inc();
      return undefined;
    }
    const info = this.#callbacks.streamInfo;
    const input = {
      headers,
      path: policyPath(headers),
      query: () => this.#queryOf(headers),
      random: this.#callbacks.random,
      tls: info.downstream.tls,
      peerCertificatePresented: info.downstream.peerPrincipal !== undefined,
      dynamicMetadata: info.dynamicMetadata,
    };
    return config.rules.find((rule) => rule.match.matches(input))?.requirement;
  }

  #queryOf(headers: HeaderMap): QueryParameters {
    return (this.#query ??= parseQuery(firstValue(headers, ':path') ?? '/'));
  }

  #evaluate(
    requirement: Requirement,
    headers: HeaderMap,
    results: SignatureResults,
  ): { result: RequirementResult; pending: RequestTokens['pending'] } {
    const config = this.#shared.config;
    const tokens = new RequestTokens(
      headers,
      () => this.#queryOf(headers),
      config.providers,
      config.allLocations,
      Math.floor(this.#callbacks.clock.now() / 1000),
      results,
    );
    const result = evaluateRequirement(requirement, tokens);
    return { result, pending: tokens.pending };
  }

  async #verifyAndResume(
    requirement: Requirement,
    headers: HeaderMap,
    results: SignatureResults,
    pending: RequestTokens['pending'],
    round: number,
  ): Promise<void> {
    await Promise.all(
      [...pending].map(async ([key, { provider, decoded }]) => {
        const failure = await verifySignature(decoded.token, provider.keys);
        results.set(key, failure);
        if (!failure) {
          const exp = decoded.payload['exp'];
          provider.cache.add(
            decoded.token,
            typeof exp === 'number' ? exp + provider.claims.clockSkewSeconds : Infinity,
          );
        }
      }),
    );
    if (this.#destroyed) return;
    const next = this.#evaluate(requirement, headers, results);
    if (next.pending.size > 0) {
      if (round >= MAX_ROUNDS) {
        this.#deny(headers, JWT_STATUS.verificationFailed);
        return;
      }
      void this.#verifyAndResume(requirement, headers, results, next.pending, round + 1);
      return;
    }
    if (this.#finish(headers, next.result)) this.#callbacks.continueDecoding();
  }

  /** True when the request may go on. */
  #finish(headers: HeaderMap, result: RequirementResult): boolean {
    if (!result.ok) {
      this.#deny(headers, result.status);
      return false;
    }
    this.#shared.stats.allowed.inc();
    if (result.verified.length > 0) {
      applyVerified(headers, this.#callbacks.streamInfo, result.verified);
      // Claims may now select a different route (claim headers, dynamic metadata matches).
      this.#callbacks.clearRouteCache();
    }
    return true;
  }

  #deny(headers: HeaderMap, status: JwtStatus): void {
    this.#shared.stats.denied.inc();
    const realm = `${firstValue(headers, ':scheme') ?? 'http'}://${firstValue(headers, ':authority') ?? ''}${policyPath(headers)}`;
    const challenge =
      status === JWT_STATUS.missing
        ? `Bearer realm="${realm}"`
        : `Bearer realm="${realm}", error="invalid_token"`;
    this.#callbacks.sendLocalReply({
      status: 401,
      body: status,
      headers: { 'www-authenticate': challenge },
      details: jwtDenyDetails(status),
    });
  }
}
