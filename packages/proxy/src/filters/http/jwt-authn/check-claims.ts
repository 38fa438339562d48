// The time-dependent and audience checks of a signature-verified token, run on every use (also for cached
// tokens), so a cached token stops working the moment it expires.
import type { StringPredicate } from '../../../http/routing/string-matcher.ts';
import { JWT_STATUS, type JwtStatus } from './jwt-status.ts';

export interface ClaimRules {
  readonly audiences: readonly string[];
  readonly clockSkewSeconds: number;
  readonly requireExpiration: boolean;
  readonly maxLifetimeSeconds?: number;
  readonly subjects?: StringPredicate;
}

function audiencesOf(payload: Readonly<Record<string, unknown>>): string[] {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/** Envoy treats audiences equal with or without a scheme and a trailing slash (`https://a/` = `a`). */
function normalizeAudience(aud: string): string {
  return aud.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

export function checkClaims(
  payload: Readonly<Record<string, unknown>>,
  rules: ClaimRules,
  nowSeconds: number,
): JwtStatus | undefined {
  const skew = rules.clockSkewSeconds;
  const exp = payload['exp'];
  const nbf = payload['nbf'];
  const iat = payload['iat'];
  if (exp !== undefined && typeof exp !== 'number') return JWT_STATUS.badPayload;
  if (nbf !== undefined && typeof nbf !== 'number') return JWT_STATUS.badPayload;
  if (exp === undefined && rules.requireExpiration) return JWT_STATUS.noExpiration;
  if (nbf !== undefined && nowSeconds + skew < nbf) return JWT_STATUS.notYetValid;
  if (exp !== undefined && nowSeconds - skew >= exp) return JWT_STATUS.expired;
  if (rules.maxLifetimeSeconds !== undefined) {
    if (exp === undefined || typeof iat !== 'number') return JWT_STATUS.noExpiration;
    if (exp - iat > rules.maxLifetimeSeconds) return JWT_STATUS.expired;
  }
  if (rules.audiences.length > 0) {
    const allowed = new Set(rules.audiences.map(normalizeAudience));
    if (!audiencesOf(payload).some((a) => allowed.has(normalizeAudience(a)))) {
      return JWT_STATUS.audienceNotAllowed;
    }
  }
  if (rules.subjects) {
    const sub = payload['sub'];
    if (typeof sub !== 'string' || !rules.subjects(sub)) return JWT_STATUS.subjectNotAllowed;
  }
  return undefined;
}

export function audienceList(payload: Readonly<Record<string, unknown>>): string[] {
  return audiencesOf(payload);
}
