// The key that signs join tokens (ES256), kept beside the CA so that every replica given the same file accepts
// the tokens of the others.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
} from 'jose';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { createFileOnce, ensurePrivateDir } from './atomic-files.ts';
import type { CryptoKey } from './web-crypto-types.ts';

export const TOKEN_KEY_FILE = 'token-key.pem';
export const TOKEN_ALGORITHM = 'ES256';

export interface TokenKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The JWK thumbprint (RFC 7638), sent as `kid`. */
  readonly kid: string;
}

/** Reads `<dir>/token-key.pem`, creating it (mode 0600) when it does not exist. */
export async function openTokenKey(dir: string): Promise<TokenKey> {
  const path = join(dir, TOKEN_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return tokenKeyFrom(existing, path);
  await ensurePrivateDir(dir);
  const fresh = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const pem = await exportPKCS8(fresh.privateKey);
  if (await createFileOnce(path, pem)) return tokenKeyFrom(pem, path);
  return tokenKeyFrom((await readKeyFile(path)) ?? pem, path);
}

async function readKeyFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.CA_STATE_INVALID,
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

async function tokenKeyFrom(pem: string, path: string): Promise<TokenKey> {
  let privateKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, TOKEN_ALGORITHM, { extractable: true });
  } catch (error) {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.CA_STATE_INVALID,
      `${path} is not an ECDSA P-256 private key in PKCS#8 PEM (${(error as Error).message})`,
    );
  }
  // The public half, from the private JWK without its secret member.
  const { d: _secret, ...publicJwk } = await exportJWK(privateKey);
  const publicKey = (await importJWK({ ...publicJwk, alg: TOKEN_ALGORITHM }, TOKEN_ALGORITHM)) as CryptoKey;
  return { privateKey, publicKey, kid: await calculateJwkThumbprint(publicJwk) };
}
