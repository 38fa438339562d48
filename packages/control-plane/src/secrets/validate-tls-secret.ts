// Checks a TLS secret before it is stored, with the checks a proxy applies when the secret reaches it over
// SDS (a secret a proxy would refuse must never be sent: it would refuse every secret of that response).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { CONTROL_PLANE_CODES, ControlPlaneError, type ControlPlaneCode } from '../errors.ts';
import type { StoredTlsSecret, TlsSecretInput } from './tls-secret.ts';

export const DEFAULT_SECRET_NAMESPACE = 'istio-system';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** A freshly issued certificate may start a little after our clock says now (the issuer's clock runs ahead). */
const NOT_BEFORE_SKEW_MS = 5 * 60_000;

export type ValidatedTlsSecret = Omit<StoredTlsSecret, 'createdAt' | 'updatedAt'>;

/**
 * Throws a ControlPlaneError with a HEDDLE_SECRET_* code naming the field at fault. Without `now` the
 * validity periods are not checked (a stored secret that expired is still read back).
 */
export function validateTlsSecret(input: TlsSecretInput, now: Date | undefined): ValidatedTlsSecret {
  const namespace = input.namespace ?? DEFAULT_SECRET_NAMESPACE;
  checkName(namespace, input.name);
  const hasCert = nonEmpty(input.certificateChain);
  const hasKey = nonEmpty(input.privateKey);
  const hasCa = nonEmpty(input.caCertificate);
  if (hasCert !== hasKey) {
    throw invalid(
      hasCert
        ? 'tls.crt is given without tls.key: a server certificate needs its private key'
        : 'tls.key is given without tls.crt: a private key needs its certificate',
    );
  }
  if (!hasCert && !hasCa)
    throw invalid('nothing to store: give tls.crt and tls.key, or ca.crt, or all three');
  const result: { -readonly [K in keyof ValidatedTlsSecret]: ValidatedTlsSecret[K] } = {
    namespace,
    name: input.name,
  };
  if (hasCert) {
    const chain = certificates('tls.crt', input.certificateChain as string);
    const key = privateKey(input.privateKey as string);
    const leaf = chain[0] as X509Certificate;
    if (!leaf.checkPrivateKey(key)) {
      throw new ControlPlaneError(
        CONTROL_PLANE_CODES.SECRET_KEY_MISMATCH,
        `tls.key is not the private key of the first certificate of tls.crt (${leaf.subject.replaceAll('\n', ', ')})`,
        { field: 'tls.key' },
      );
    }
    if (now) for (const [index, cert] of chain.entries()) checkValidity('tls.crt', index, cert, now);
    result.certificateChain = bundle(chain);
    result.privateKey = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  if (hasCa) {
    const cas = certificates('ca.crt', input.caCertificate as string);
    for (const [index, cert] of cas.entries()) {
      if (!cert.ca) {
        throw new ControlPlaneError(
          CONTROL_PLANE_CODES.SECRET_NOT_A_CA,
          `ca.crt: certificate #${index} (${cert.subject.replaceAll('\n', ', ')}) is not a CA certificate (basicConstraints CA:TRUE)`,
          { field: 'ca.crt', index },
        );
      }
      if (now) checkValidity('ca.crt', index, cert, now);
    }
    result.caCertificate = bundle(cas);
  }
  return result;
}

/** Namespace: a DNS label; name: a DNS subdomain (Kubernetes' rules, which also keep them safe as file names). */
export function checkName(namespace: string, name: string): void {
  if (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw invalid(
      `invalid namespace ${JSON.stringify(namespace)}: lower-case letters, digits and "-", at most 63 characters`,
    );
  }
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw invalid(
      `invalid secret name ${JSON.stringify(name)}: lower-case letters, digits, "-" and ".", at most 253 characters`,
    );
  }
}

function certificates(field: string, text: string): X509Certificate[] {
  if (text.includes('\0')) throw pemInvalid(field, 'contains a NUL byte');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw pemInvalid(field, 'no PEM CERTIFICATE block');
  return blocks.map((block, index) => {
    if (block[1] !== 'CERTIFICATE')
      throw pemInvalid(field, `PEM block #${index} is ${block[1]}, expected CERTIFICATE`);
    try {
      return new X509Certificate(block[0]);
    } catch (error) {
      throw pemInvalid(field, `certificate #${index} does not parse: ${(error as Error).message}`);
    }
  });
}

function privateKey(text: string): KeyObject {
  if (/ENCRYPTED/.test(text))
    throw pemInvalid('tls.key', 'encrypted private keys are not supported; decrypt it with `openssl pkey`');
  try {
    return createPrivateKey(text);
  } catch (error) {
    throw pemInvalid('tls.key', `does not parse as a PEM private key: ${(error as Error).message}`);
  }
}

function checkValidity(field: string, index: number, cert: X509Certificate, now: Date): void {
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  const subject = cert.subject.replaceAll('\n', ', ');
  if (notAfter.getTime() <= now.getTime()) {
    throw expired(field, index, `${subject} expired on ${notAfter.toISOString()}`, notAfter);
  }
  if (notBefore.getTime() > now.getTime() + NOT_BEFORE_SKEW_MS) {
    throw expired(field, index, `${subject} is not valid before ${notBefore.toISOString()}`, notBefore);
  }
}

function expired(field: string, index: number, what: string, at: Date): ControlPlaneError {
  return new ControlPlaneError(
    CONTROL_PLANE_CODES.SECRET_CERT_EXPIRED,
    `${field}: certificate #${index} ${what}`,
    {
      field,
      index,
      at: at.toISOString(),
    },
  );
}

/** One block per line: OpenSSL reads only the first of two blocks glued together on one line. */
function bundle(certs: readonly X509Certificate[]): string {
  return certs.map((cert) => `${cert.toString().trim()}\n`).join('');
}

function nonEmpty(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function invalid(message: string): ControlPlaneError {
  return error(CONTROL_PLANE_CODES.SECRET_INVALID, message);
}

function pemInvalid(field: string, problem: string): ControlPlaneError {
  return new ControlPlaneError(CONTROL_PLANE_CODES.SECRET_PEM_INVALID, `${field}: ${problem}`, { field });
}

function error(code: ControlPlaneCode, message: string): ControlPlaneError {
  return new ControlPlaneError(code, message);
}
