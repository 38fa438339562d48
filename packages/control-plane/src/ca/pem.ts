// Reading and writing PEM certificate bundles (one or several certificates in one text).
import { X509Certificate } from './x509.ts';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every CERTIFICATE block of the text, in order; throws when one does not parse. */
export function parseCertificates(text: string): X509Certificate[] {
  return (text.match(CERTIFICATE_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

export function certificatePem(cert: X509Certificate): string {
  return `${cert.toString('pem')}\n`;
}

/** Concatenated PEM blocks, each ending in a newline. */
export function bundlePem(certs: readonly X509Certificate[]): string {
  return certs.map(certificatePem).join('');
}

/** Two certificates are the same when their DER encodings are. */
export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}
