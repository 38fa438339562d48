// PEM bundles split into their certificates and parsed with node:crypto, with errors that say which block
// is wrong: the checks SDS secrets and CA responses go through before any TLS context sees them.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The PEM blocks of a bundle, in order, with their labels. */
export function pemBlocks(text: string): { readonly label: string; readonly pem: string }[] {
  return [...text.matchAll(BLOCK)].map((match) => ({ label: match[1] ?? '', pem: match[0] }));
}

/** Every CERTIFICATE block parsed; an error names the first block that does not parse. */
export function parseCertificates(text: string): X509Certificate[] | { readonly error: string } {
  if (text.includes('\0')) return { error: 'contains a NUL byte' };
  const blocks = pemBlocks(text);
  if (blocks.length === 0) return { error: 'no PEM CERTIFICATE block' };
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.label !== 'CERTIFICATE')
      return { error: `PEM block #${index} is ${block.label}, expected CERTIFICATE` };
    try {
      certificates.push(new X509Certificate(block.pem));
    } catch (error) {
      return { error: `certificate #${index} does not parse: ${(error as Error).message}` };
    }
  }
  return certificates;
}

export function parsePrivateKey(text: string): KeyObject | { readonly error: string } {
  try {
    return createPrivateKey(text);
  } catch (error) {
    return { error: `does not parse as a PEM private key: ${(error as Error).message}` };
  }
}

/** The SAN entries a certificate names, e.g. `URI:spiffe://…`, split into kind and value. */
export function subjectAltNames(certificate: X509Certificate): { kind: string; value: string }[] {
  const text = certificate.subjectAltName;
  if (!text) return [];
  return text.split(/,\s*/).flatMap((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0 ? [] : [{ kind: entry.slice(0, colon), value: entry.slice(colon + 1) }];
  });
}

/** The first URI SAN starting with `spiffe://`, the workload identity. */
export function spiffeId(certificate: X509Certificate): string | undefined {
  return subjectAltNames(certificate).find((san) => san.kind === 'URI' && san.value.startsWith('spiffe://'))
    ?.value;
}
