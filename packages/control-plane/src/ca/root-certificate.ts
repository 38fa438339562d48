// A self-signed root CA certificate for a freshly generated key.
import { signingAlgorithm } from './key-type.ts';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  webCrypto,
  X509CertificateGenerator,
  type X509Certificate,
} from './x509.ts';
import type { CryptoKeyPair } from './web-crypto-types.ts';

/** Istio's default self-signed root lifetime: ten years. */
export const ROOT_CERT_TTL_SECONDS = 10 * 365 * 24 * 3600;

export interface RootCertificateRequest {
  readonly keys: CryptoKeyPair;
  /** Part of the subject, so that two roots of one bundle never share a name. */
  readonly id: string;
  readonly now: Date;
  readonly ttlSeconds?: number;
}

export async function createRootCertificate(request: RootCertificateRequest): Promise<X509Certificate> {
  const { keys, id, now } = request;
  return X509CertificateGenerator.createSelfSigned(
    {
      name: `O=Heddle, CN=Heddle Root CA ${id}`,
      keys,
      signingAlgorithm: signingAlgorithm(keys.privateKey),
      serialNumber: randomSerial(),
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + (request.ttlSeconds ?? ROOT_CERT_TTL_SECONDS) * 1000),
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(
          KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature,
          true,
        ),
        await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
}

/** 128 random bits with the top bit clear, so the DER integer stays positive (RFC 5280 §4.1.2.2). */
export function randomSerial(): string {
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
