// An inline JWKS (`local_jwks.inline_string`) checked at config time: valid JSON with public keys only, so a
// bad key set is refused with the update instead of failing every request.
import { createPublicKey } from 'node:crypto';
import type { createLocalJWKSet, JSONWebKeySet, JWK } from 'jose';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';
import { jose } from './jose-library.ts';

export type KeyResolver = ReturnType<typeof createLocalJWKSet>;

/** Bounds the work one update can ask for. */
const MAX_KEYS = 100;

export function compileInlineJwks(text: string, where: string): CompileResult<KeyResolver> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: `${where}: local_jwks is not valid JSON` };
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return { error: `${where}: local_jwks has no keys` };
  if (keys.length > MAX_KEYS) return { error: `${where}: local_jwks has more than ${MAX_KEYS} keys` };
  for (const [i, key] of keys.entries()) {
    const jwk = key as JWK;
    // Symmetric keys are refused: a mesh distributes public keys only, and an `oct` key is where HS*/RS
    // algorithm confusion starts.
    if (jwk.kty === 'oct') return { error: `${where}: local_jwks key ${i} is symmetric (kty oct)` };
    if (jwk.d !== undefined) return { error: `${where}: local_jwks key ${i} contains a private key` };
    try {
      createPublicKey({ key: jwk, format: 'jwk' });
    } catch (err) {
      return { error: `${where}: local_jwks key ${i} is not a usable public key: ${(err as Error).message}` };
    }
  }
  return { value: jose().createLocalJWKSet(parsed as JSONWebKeySet) };
}
