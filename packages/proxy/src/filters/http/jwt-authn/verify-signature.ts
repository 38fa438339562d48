// Signature verification with jose against a provider's key set: asymmetric algorithms only (no `none`, no
// HS*), the key chosen by `kid` and `alg`; an unknown kid fails. Claims are checked elsewhere, per use.
import { jose } from './jose-library.ts';
import type { KeyResolver } from './jwks.ts';
import { JWT_STATUS, type JwtStatus } from './jwt-status.ts';

export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

const ALLOWED = new Set<string>(ALLOWED_ALGORITHMS);

/** Refuses what no key may verify before any key lookup. */
export function algorithmAllowed(header: Readonly<Record<string, unknown>>): boolean {
  const alg = header['alg'];
  return typeof alg === 'string' && ALLOWED.has(alg);
}

/** Resolves with undefined when the signature is good, or the reason it is not. */
export async function verifySignature(token: string, keys: KeyResolver): Promise<JwtStatus | undefined> {
  try {
    return await verifyWithKeys(token, keys);
  } catch {
    return JWT_STATUS.verificationFailed;
  }
}

async function verifyWithKeys(token: string, keys: KeyResolver): Promise<JwtStatus | undefined> {
  // Loaded already: a KeyResolver comes from compileInlineJwks.
  const { compactVerify, errors } = jose();
  const options = { algorithms: [...ALLOWED_ALGORITHMS] };
  try {
    await compactVerify(token, keys, options);
    return undefined;
  } catch (err) {
    if (err instanceof errors.JWKSMultipleMatchingKeys) {
      // No `kid` and several keys fit the algorithm: the token is good if any of them verifies it.
      for await (const key of err) {
        try {
          await compactVerify(token, key, options);
          return undefined;
        } catch {
          continue;
        }
      }
      return JWT_STATUS.verificationFailed;
    }
    if (err instanceof errors.JWKSNoMatchingKey) return JWT_STATUS.kidAlgMismatch;
    if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
      return JWT_STATUS.algNotAllowed;
    }
    return JWT_STATUS.verificationFailed;
  }
}
