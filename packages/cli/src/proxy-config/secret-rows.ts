// istioctl proxy-config secret: RESOURCE NAME, TYPE, STATUS, VALID CERT, SERIAL NUMBER, NOT AFTER, NOT BEFORE
// — one row per certificate of each secret (a trust bundle holds several roots during a rotation).
import { X509Certificate } from 'node:crypto';
import type { TableRow } from '../output/format-table.ts';
import { at, text } from './json-fields.ts';

export const SECRET_HEADER: TableRow = [
  'RESOURCE NAME',
  'TYPE',
  'STATUS',
  'VALID CERT',
  'SERIAL NUMBER',
  'NOT AFTER',
  'NOT BEFORE',
];

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function secretRows(entries: readonly unknown[], now: Date): TableRow[] {
  return entries.flatMap((entry) => describeSecret(entry, now));
}

function describeSecret(entry: unknown, now: Date): TableRow[] {
  const name = text(entry, 'name') ?? text(entry, 'secret', 'name') ?? '';
  const secret = at(entry, 'secret');
  const chain = inline(at(secret, 'tlsCertificate', 'certificateChain'));
  const roots = inline(at(secret, 'validationContext', 'trustedCa'));
  const type = chain !== undefined ? 'Cert Chain' : roots !== undefined ? 'CA' : 'Unknown';
  const pems = (chain ?? roots ?? '').match(PEM) ?? [];
  // A chain is described by its leaf; a bundle by each of its roots.
  const described = chain !== undefined ? pems.slice(0, 1) : pems;
  if (described.length === 0) return [[name, type, 'ACTIVE', 'false', '-', '-', '-']];
  return described.map((pem) => {
    const certificate = parse(pem);
    if (!certificate) return [name, type, 'ACTIVE', 'false', '-', '-', '-'];
    const notBefore = new Date(certificate.validFrom);
    const notAfter = new Date(certificate.validTo);
    const valid = notBefore <= now && now < notAfter;
    return [
      name,
      type,
      'ACTIVE',
      String(valid),
      certificate.serialNumber.toLowerCase(),
      notAfter.toISOString(),
      notBefore.toISOString(),
    ];
  });
}

/** The PEM of an inline DataSource (inlineString or base64 inlineBytes); undefined otherwise. */
function inline(source: unknown): string | undefined {
  const string = text(source, 'inlineString');
  if (string !== undefined) return string;
  const bytes = text(source, 'inlineBytes');
  return bytes !== undefined ? Buffer.from(bytes, 'base64').toString('utf8') : undefined;
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
