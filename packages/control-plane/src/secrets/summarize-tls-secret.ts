// What a listing shows of a stored TLS secret: who the certificates are for and until when; never the key.
import { X509Certificate } from 'node:crypto';
import type { CertificateSummary, StoredTlsSecret, TlsSecretSummary } from './tls-secret.ts';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function summarizeTlsSecret(secret: StoredTlsSecret): TlsSecretSummary {
  const chain = secret.certificateChain ? parse(secret.certificateChain) : [];
  const cas = secret.caCertificate ? parse(secret.caCertificate) : [];
  const leaf = chain[0];
  return {
    namespace: secret.namespace,
    name: secret.name,
    type: leaf ? 'tls' : 'ca',
    keys: [
      ...(secret.certificateChain ? ['tls.crt'] : []),
      ...(secret.privateKey ? ['tls.key'] : []),
      ...(secret.caCertificate ? ['ca.crt'] : []),
    ],
    ...(leaf ? { certificate: summarizeCertificate(leaf), chainLength: chain.length } : {}),
    ...(cas.length > 0 ? { caCertificates: cas.map(summarizeCertificate) } : {}),
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
  };
}

export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.replaceAll('\n', ', '),
    issuer: cert.issuer.replaceAll('\n', ', '),
    subjectAltNames: (cert.subjectAltName ?? '')
      .split(/,\s*/)
      .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:')),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    sha256: cert.fingerprint256,
  };
}

function parse(text: string): X509Certificate[] {
  return (text.match(CERTIFICATE_BLOCK) ?? []).map((block) => new X509Certificate(block));
}
