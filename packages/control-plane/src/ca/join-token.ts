// Join tokens: short JWTs (ES256) that name a workload identity for the CA, stateless so that any replica with
// the same token key verifies them.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { identityProblem, type WorkloadIdentity } from './workload-identity.ts';
import { TOKEN_ALGORITHM, type TokenKey } from './token-key.ts';

export const JOIN_TOKEN_AUDIENCE = 'heddle-ca';
export const JOIN_TOKEN_ISSUER = 'heddle';
/** Accepted clock difference between the replica that issued a token and the one that verifies it. */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

export interface JoinTokenClaims {
  readonly identity: WorkloadIdentity;
  readonly expiresAt: Date;
}

export interface IssueTokenRequest {
  readonly identity: WorkloadIdentity;
  readonly ttlSeconds: number;
  readonly now: Date;
}

/** The Kubernetes form of a service account subject, which Istio users already read in tokens. */
export function serviceAccountSubject(identity: WorkloadIdentity): string {
  return `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`;
}

export async function issueJoinToken(key: TokenKey, request: IssueTokenRequest): Promise<string> {
  const problem = identityProblem(request.identity);
  if (problem) throw new Error(problem);
  const issuedAt = Math.floor(request.now.getTime() / 1000);
  return new SignJWT({ ns: request.identity.namespace, sa: request.identity.serviceAccount })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: key.kid })
    .setIssuer(JOIN_TOKEN_ISSUER)
    .setAudience(JOIN_TOKEN_AUDIENCE)
    .setSubject(serviceAccountSubject(request.identity))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** Why a token was refused, in words safe to return to the caller (nothing about the key). */
export class TokenRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** The identity a valid token names; throws TokenRejected otherwise. Only ES256 is accepted (never `none`/HS*). */
export async function verifyJoinToken(key: TokenKey, token: string, now: Date): Promise<JoinTokenClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [TOKEN_ALGORITHM],
      audience: JOIN_TOKEN_AUDIENCE,
      issuer: JOIN_TOKEN_ISSUER,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    throw new TokenRejected(describeJoseError(error));
  }
  const identity = { namespace: payload.ns, serviceAccount: payload.sa } as WorkloadIdentity;
  const problem = identityProblem(identity);
  if (problem) throw new TokenRejected(`the token names no valid identity: ${problem}`);
  if (payload.sub !== serviceAccountSubject(identity)) {
    throw new TokenRejected('the token subject does not match its namespace and service account claims');
  }
  return { identity, expiresAt: new Date((payload.exp as number) * 1000) };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the join token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud')
      return `the token is not meant for the CA (audience must be "${JOIN_TOKEN_AUDIENCE}")`;
    if (error.claim === 'iss')
      return `the token was not issued by Heddle (issuer must be "${JOIN_TOKEN_ISSUER}")`;
    if (error.claim === 'nbf' || error.claim === 'iat') return 'the token is not valid yet';
    return `the token's "${error.claim}" claim is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `the token is not signed with ${TOKEN_ALGORITHM}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the token is malformed';
  return 'the token is invalid';
}
