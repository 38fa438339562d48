// Reads a verified peer certificate: its subject alternative names, its SPIFFE identity, its hash and SPKI pin.
import { createHash, type X509Certificate } from 'node:crypto';

export type SanType = 'DNS' | 'URI' | 'EMAIL' | 'IP_ADDRESS' | 'OTHER';

export interface SubjectAltName {
  readonly type: SanType;
  readonly value: string;
}

const TYPES: Readonly<Record<string, SanType>> = {
  DNS: 'DNS',
  URI: 'URI',
  email: 'EMAIL',
  'IP Address': 'IP_ADDRESS',
};

/**
 * Parses Node's `subjectAltName` text (`DNS:a, URI:spiffe://…`); a value with a comma or quote in it comes
 * JSON-quoted. Undefined when the text does not parse, which callers treat as a verification failure.
 */
export function parseSubjectAltNames(text: string | undefined): SubjectAltName[] | undefined {
  const names: SubjectAltName[] = [];
  let at = 0;
  while (text !== undefined && at < text.length) {
    const colon = text.indexOf(':', at);
    if (colon === -1) return undefined;
    const type = TYPES[text.slice(at, colon)] ?? 'OTHER';
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      const close = closingQuote(text, colon + 2);
      if (close === -1) return undefined;
      try {
        value = JSON.parse(text.slice(colon + 1, close + 1)) as string;
      } catch {
        return undefined;
      }
      next = close + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma === -1 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    names.push({ type, value });
    if (next < text.length && !text.startsWith(', ', next)) return undefined;
    at = next + 2;
  }
  return names;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** NUL in a name is the classic prefix-truncation trick; such a certificate is refused outright. */
export function hasNul(names: readonly SubjectAltName[]): boolean {
  return names.some((name) => name.value.includes('\0'));
}

export function spiffeIdentity(names: readonly SubjectAltName[]): string | undefined {
  return names.find((name) => name.type === 'URI' && name.value.startsWith('spiffe://'))?.value;
}

/** Hex SHA-256 of the DER certificate, as verify_certificate_hash lists it (colons optional). */
export function certificateHash(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** Base64 SHA-256 of the DER SubjectPublicKeyInfo, as verify_certificate_spki lists it. */
export function certificateSpki(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
