// A PKCS#10 certificate request (RFC 2986) DER-encoded by hand: an empty subject, the key's
// SubjectPublicKeyInfo, an optional URI subject alternative name in an extensionRequest attribute, signed
// with ECDSA and SHA-256. The proxy needs this one shape only, and an ASN.1/X.509 library would cost every
// proxy about 8 MiB of memory and 150 modules for it.
import { createPublicKey, sign, type KeyObject } from 'node:crypto';

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OBJECT_IDENTIFIER = 0x06;
/** `[0] IMPLICIT` constructed: the request's attributes. */
const ATTRIBUTES = 0xa0;
/** `[6] IMPLICIT IA5String`: a GeneralName's uniformResourceIdentifier. */
const URI_NAME = 0x86;

const PKCS9_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element: tag, definite length, contents. */
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    // Base 128, most significant group first, the high bit set on all but the last.
    const groups = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128))
      groups.unshift(0x80 | (high % 128));
    bytes.push(...groups);
  }
  return der(OBJECT_IDENTIFIER, Buffer.from(bytes));
}

function subjectAltNameRequest(uri: string): Buffer {
  // An IA5String holds ASCII only; SPIFFE IDs are ASCII.
  if (!/^[\x20-\x7e]+$/.test(uri))
    throw new Error(`identity ${JSON.stringify(uri)} is not a printable ASCII URI`);
  const generalNames = der(SEQUENCE, der(URI_NAME, Buffer.from(uri, 'ascii')));
  const extension = der(SEQUENCE, objectIdentifier(SUBJECT_ALT_NAME), der(OCTET_STRING, generalNames));
  return der(SEQUENCE, objectIdentifier(PKCS9_EXTENSION_REQUEST), der(SET, der(SEQUENCE, extension)));
}

function pem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The PEM `CERTIFICATE REQUEST` for an EC private key, naming `uri` (when given) as a URI SAN. */
export function ecdsaCertificateRequest(privateKey: KeyObject, uri: string | undefined): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const info = der(
    SEQUENCE,
    der(INTEGER, Buffer.from([0])),
    der(SEQUENCE),
    spki,
    uri === undefined ? der(ATTRIBUTES) : der(ATTRIBUTES, subjectAltNameRequest(uri)),
  );
  // node:crypto writes the ECDSA signature as the DER Ecdsa-Sig-Value a certificate request carries.
  const signature = sign('sha256', info, privateKey);
  const request = der(
    SEQUENCE,
    info,
    der(SEQUENCE, objectIdentifier(ECDSA_WITH_SHA256)),
    der(BIT_STRING, Buffer.from([0]), signature),
  );
  return pem('CERTIFICATE REQUEST', request);
}
