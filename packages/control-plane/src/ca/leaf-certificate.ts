// Issues an end-entity certificate (a workload's or the control plane's own) from a public key and SANs.
import { signingAlgorithm } from './key-type.ts';
import { randomSerial } from './root-certificate.ts';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  webCrypto,
  X509CertificateGenerator,
  type JsonGeneralNames,
  type PublicKey,
  type X509Certificate,
} from './x509.ts';
import type { CryptoKey } from './web-crypto-types.ts';

/** How far notBefore is back-dated, so that a peer whose clock runs a little behind accepts a fresh cert. */
export const NOT_BEFORE_SKEW_MS = 60_000;

export interface LeafRequest {
  readonly publicKey: PublicKey;
  readonly sans: JsonGeneralNames;
  readonly issuer: X509Certificate;
  readonly signingKey: CryptoKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * The subject stays empty, as in Istio's workload certificates: the identity is the SAN alone, which RFC 5280
 * then requires to be critical. Usable for TLS on both sides (serverAuth + clientAuth).
 */
export async function issueLeafCertificate(request: LeafRequest): Promise<X509Certificate> {
  return X509CertificateGenerator.create(
    {
      subject: '',
      issuer: request.issuer.subjectName,
      publicKey: request.publicKey,
      signingKey: request.signingKey,
      signingAlgorithm: signingAlgorithm(request.signingKey),
      serialNumber: randomSerial(),
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
        new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
        await authorityKeyIdentifier(request.issuer),
        new SubjectAlternativeNameExtension(request.sans, true),
      ],
    },
    webCrypto,
  );
}

/** The issuer's own key identifier when it has one (openssl may compute it differently than we would). */
async function authorityKeyIdentifier(issuer: X509Certificate): Promise<AuthorityKeyIdentifierExtension> {
  const ski = issuer.getExtension(SubjectKeyIdentifierExtension);
  if (ski) return new AuthorityKeyIdentifierExtension(ski.keyId, false);
  return AuthorityKeyIdentifierExtension.create(issuer.publicKey, false, webCrypto);
}
