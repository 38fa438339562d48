// Reads a PEM PKCS#10 request, checks its self-signature and that its key is one a mesh certificate may carry.
import { createPublicKey } from 'node:crypto';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { Pkcs10CertificateRequest, webCrypto, type PublicKey } from './x509.ts';

/** Far above any real request (a P-256 CSR is ~0.5 KiB, RSA 4096 ~2 KiB); keeps parsing cheap. */
export const MAX_CSR_BYTES = 16 * 1024;

const PEM_CSR =
  /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----[A-Za-z0-9+/=\s]+-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

/** The CSR's public key; the CSR's subject and SANs are ignored (the identity comes from authentication). */
export async function parseCsr(pem: string): Promise<PublicKey> {
  if (pem.length === 0) fail('the request has no CSR');
  if (pem.length > MAX_CSR_BYTES) fail(`the CSR is larger than ${MAX_CSR_BYTES} bytes`);
  if (!PEM_CSR.test(pem)) fail('the CSR is not one PEM "CERTIFICATE REQUEST" block');
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(pem);
  } catch {
    fail('the CSR is not a valid PKCS#10 request');
  }
  checkKey(csr.publicKey);
  let verified = false;
  try {
    verified = await csr.verify(webCrypto);
  } catch {
    verified = false;
  }
  if (!verified) fail('the CSR signature does not verify with its own public key');
  return csr.publicKey;
}

function checkKey(key: PublicKey): void {
  let details: { type?: string; curve?: string; bits?: number };
  try {
    const object = createPublicKey({ key: Buffer.from(key.rawData), format: 'der', type: 'spki' });
    const info = object.asymmetricKeyDetails ?? {};
    details = {
      ...(object.asymmetricKeyType ? { type: object.asymmetricKeyType } : {}),
      ...(info.namedCurve ? { curve: info.namedCurve } : {}),
      ...(info.modulusLength ? { bits: info.modulusLength } : {}),
    };
  } catch {
    fail("the CSR's public key cannot be read");
  }
  if (details.type === 'ec') {
    if (details.curve === 'prime256v1' || details.curve === 'secp384r1') return;
    fail(`the CSR's EC key uses curve ${details.curve ?? '(unknown)'}; use P-256 or P-384`);
  }
  if (details.type === 'rsa') {
    const bits = details.bits ?? 0;
    if (bits >= 2048 && bits <= 8192) return;
    fail(`the CSR's RSA key has ${bits} bits; use 2048 to 8192`);
  }
  fail(`the CSR's key type ${details.type ?? '(unknown)'} is not accepted; use ECDSA or RSA`);
}

function fail(message: string): never {
  throw new ControlPlaneError(CONTROL_PLANE_CODES.CA_CSR_INVALID, message);
}
