// The CA's key types and how keys are made, imported and exported with WebCrypto (PKCS#8 PEM on disk).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { PemConverter, webCrypto } from './x509.ts';
import type {
  Algorithm,
  CryptoKey,
  CryptoKeyPair,
  EcKeyGenParams,
  EcKeyImportParams,
  EcdsaParams,
  RsaHashedImportParams,
  RsaHashedKeyGenParams,
} from './web-crypto-types.ts';

/** ECDSA P-256 is the default, as in Istio; RSA 2048 for peers that cannot do ECDSA. */
export type CaKeyType = 'ECDSA_P256' | 'RSA_2048';

export const CA_KEY_TYPES: readonly CaKeyType[] = ['ECDSA_P256', 'RSA_2048'];

type KeyAlgorithm = EcKeyGenParams | RsaHashedKeyGenParams;

const GENERATE: Record<CaKeyType, KeyAlgorithm> = {
  ECDSA_P256: { name: 'ECDSA', namedCurve: 'P-256' },
  RSA_2048: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};

export async function generateKeyPair(type: CaKeyType): Promise<CryptoKeyPair> {
  return await webCrypto.subtle.generateKey(GENERATE[type], true, ['sign', 'verify']);
}

/** The algorithm a certificate signed with `key` declares: SHA-256 with the key's own scheme. */
export function signingAlgorithm(key: CryptoKey): EcdsaParams | Algorithm {
  return key.algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return PemConverter.encode(await webCrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

export interface ImportedKey {
  /** A signing key for WebCrypto. */
  readonly privateKey: CryptoKey;
  /** DER SubjectPublicKeyInfo of the matching public key, to compare with a certificate's. */
  readonly publicKeySpki: Buffer;
  readonly type: CaKeyType | 'other';
}

/**
 * Reads a private key in any PEM form openssl writes (PKCS#8, SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`).
 * Throws when the text is not a key or the key is neither ECDSA (P-256/P-384) nor RSA.
 */
export async function importPrivateKeyPem(pem: string): Promise<ImportedKey> {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  const algorithm = webCryptoAlgorithm(key);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await webCrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const publicKeySpki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const details = key.asymmetricKeyDetails;
  const type =
    key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
      ? 'ECDSA_P256'
      : key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048
        ? 'RSA_2048'
        : 'other';
  return { privateKey, publicKeySpki, type };
}

function webCryptoAlgorithm(key: KeyObject): EcKeyImportParams | RsaHashedImportParams {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384' }[details.namedCurve ?? ''];
    if (!curve) throw new Error(`unsupported EC curve ${details.namedCurve ?? '(unknown)'}`);
    return { name: 'ECDSA', namedCurve: curve };
  }
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}`);
}
