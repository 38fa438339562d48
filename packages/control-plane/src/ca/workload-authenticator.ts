// How the CA learns who calls it: authenticators turn a call's credentials into a workload identity. Join tokens
// today; Kubernetes ServiceAccount tokens (TokenReview or JWKS) plug in beside them later.
import { verifyJoinToken, TokenRejected } from './join-token.ts';
import type { TokenKey } from './token-key.ts';
import type { WorkloadIdentity } from './workload-identity.ts';

/** What a CreateCertificate call carries that may prove an identity. */
export interface CallerCredentials {
  /** The value after `Bearer ` in the `authorization` metadata. */
  readonly bearerToken?: string;
}

export interface WorkloadAuthenticator {
  /** Shown in refusals, e.g. `join-token`. */
  readonly name: string;
  /** The caller's identity; throws TokenRejected (or any error) with a reason when the credentials do not prove one. */
  authenticate(credentials: CallerCredentials): Promise<WorkloadIdentity>;
}

export class JoinTokenAuthenticator implements WorkloadAuthenticator {
  readonly name = 'join-token';
  readonly #key: TokenKey;
  readonly #now: () => Date;

  constructor(key: TokenKey, now: () => Date) {
    this.#key = key;
    this.#now = now;
  }

  async authenticate(credentials: CallerCredentials): Promise<WorkloadIdentity> {
    if (!credentials.bearerToken) throw new TokenRejected('no bearer token');
    return (await verifyJoinToken(this.#key, credentials.bearerToken, this.#now())).identity;
  }
}

/** Reads `authorization: Bearer <token>` (the scheme is case-insensitive, as in RFC 6750). */
export function bearerTokenOf(authorization: readonly unknown[]): string | undefined {
  if (authorization.length !== 1) return undefined;
  const value = authorization[0];
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)\s*$/i.exec(value);
  return match?.[1];
}

/**
 * The first authenticator that accepts the credentials wins; when none does, the refusal lists each one's
 * reason so that a misconfigured agent can tell a wrong audience from an expired token.
 */
export async function authenticateCaller(
  authenticators: readonly WorkloadAuthenticator[],
  credentials: CallerCredentials,
): Promise<WorkloadIdentity> {
  if (!credentials.bearerToken) {
    throw new TokenRejected('the request carries no "authorization: Bearer <token>" metadata');
  }
  const reasons: string[] = [];
  for (const authenticator of authenticators) {
    try {
      return await authenticator.authenticate(credentials);
    } catch (error) {
      reasons.push(`${authenticator.name}: ${error instanceof TokenRejected ? error.message : 'failed'}`);
    }
  }
  throw new TokenRejected(reasons.join('; ') || 'no authenticator is configured');
}
