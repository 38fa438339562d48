// Issues join tokens for the HTTP API (`POST /apis/v1/tokens`, and with each workload registration).
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { issueJoinToken } from './join-token.ts';
import type { TokenKey } from './token-key.ts';
import { identityProblem, spiffeId, type WorkloadIdentity } from './workload-identity.ts';

/** Long enough for a workload started by `heddle run` to renew its 24 h certificate for a week. */
export const DEFAULT_JOIN_TOKEN_TTL_SECONDS = 7 * 24 * 3600;
export const MAX_JOIN_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

export interface IssuedJoinToken {
  readonly token: string;
  readonly expiresAt: string;
  /** The SPIFFE ID certificates issued with this token will carry (in the trust domain now in force). */
  readonly identity: string;
}

export interface JoinTokenIssuerOptions {
  readonly key: TokenKey;
  readonly now: () => Date;
  readonly trustDomain: () => string;
  readonly defaultTtlSeconds?: number;
  readonly maxTtlSeconds?: number;
}

export class JoinTokenIssuer {
  readonly #options: JoinTokenIssuerOptions;

  constructor(options: JoinTokenIssuerOptions) {
    this.#options = options;
  }

  /** Throws HEDDLE_CA_TOKEN_REQUEST_INVALID for an invalid identity or lifetime. */
  async issue(identity: WorkloadIdentity, ttlSeconds?: number): Promise<IssuedJoinToken> {
    const problem = identityProblem(identity);
    if (problem) throw invalid(problem);
    const max = this.#options.maxTtlSeconds ?? MAX_JOIN_TOKEN_TTL_SECONDS;
    const ttl =
      ttlSeconds ?? Math.min(this.#options.defaultTtlSeconds ?? DEFAULT_JOIN_TOKEN_TTL_SECONDS, max);
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > max) {
      throw invalid(`ttlSeconds must be a whole number between 60 and ${max} (got ${String(ttlSeconds)})`);
    }
    const now = this.#options.now();
    const token = await issueJoinToken(this.#options.key, { identity, ttlSeconds: ttl, now });
    return {
      token,
      expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + ttl * 1000).toISOString(),
      identity: spiffeId(this.#options.trustDomain(), identity),
    };
  }
}

function invalid(message: string): ControlPlaneError {
  return new ControlPlaneError(CONTROL_PLANE_CODES.CA_TOKEN_REQUEST_INVALID, message);
}
