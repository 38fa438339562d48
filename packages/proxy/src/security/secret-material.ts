// Checks one SDS Secret and turns it into TLS material: a certificate chain with its private key, or a
// bundle of trusted roots. Anything malformed is refused with the field and the PEM block at fault.
import type { CertificateValidationContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import type { Secret } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import type { X509Certificate } from 'node:crypto';
import { readDataSource } from '../listener/tls/data-source.ts';
import type { TlsCertificateMaterial, ValidationMaterial } from '../upstream/secret-provider.ts';
import { parseCertificates, parsePrivateKey } from './pem.ts';

export type SecretMaterial =
  | {
      readonly kind: 'certificate';
      readonly material: TlsCertificateMaterial;
      readonly certificates: readonly X509Certificate[];
    }
  | {
      readonly kind: 'validation';
      readonly material: ValidationMaterial;
      readonly certificates: readonly X509Certificate[];
    };

/** Errors read `Secret "<name>": <field>: <problem>`, which the xDS client sends back as the NACK's detail. */
export function compileSecret(secret: Secret): SecretMaterial | { readonly error: string } {
  const result = compileType(secret);
  return 'error' in result ? { error: `Secret "${secret.name}": ${result.error}` } : result;
}

function compileType(secret: Secret): SecretMaterial | { readonly error: string } {
  switch (secret.type.case) {
    case 'tlsCertificate':
      return compileCertificate(secret.type.value);
    case 'validationContext':
      return compileValidation(secret.type.value);
    case undefined:
      return { error: 'no tls_certificate or validation_context' };
    case 'genericSecret':
    case 'sessionTicketKeys':
      return { error: `${snake(secret.type.case)}: not supported` };
  }
}

type TlsCertificate = Extract<Secret['type'], { case: 'tlsCertificate' }>['value'];

function compileCertificate(certificate: TlsCertificate): SecretMaterial | { readonly error: string } {
  if (certificate.privateKeyProvider) return { error: 'tls_certificate.private_key_provider: not supported' };
  if (!certificate.certificateChain) return { error: 'tls_certificate.certificate_chain: required' };
  if (!certificate.privateKey) return { error: 'tls_certificate.private_key: required' };
  const chainText = readDataSource(certificate.certificateChain);
  if (typeof chainText !== 'string')
    return { error: `tls_certificate.certificate_chain: ${chainText.error}` };
  const chain = parseCertificates(chainText);
  if ('error' in chain) return { error: `tls_certificate.certificate_chain: ${chain.error}` };
  const keyText = readDataSource(certificate.privateKey);
  if (typeof keyText !== 'string') return { error: `tls_certificate.private_key: ${keyText.error}` };
  const key = parsePrivateKey(keyText);
  if ('error' in key) return { error: `tls_certificate.private_key: ${key.error}` };
  const leaf = chain[0] as X509Certificate;
  if (!leaf.checkPrivateKey(key))
    return {
      error: 'tls_certificate.private_key: does not match the first certificate of certificate_chain',
    };
  return {
    kind: 'certificate',
    material: { certificateChain: pemBundle(chain), privateKey: keyText },
    certificates: chain,
  };
}

function compileValidation(
  validation: CertificateValidationContext,
): SecretMaterial | { readonly error: string } {
  // Only the bundle travels in a secret here; matching rules stay in the transport socket's own context.
  const unsupported = [
    validation.matchTypedSubjectAltNames.length > 0 && 'match_typed_subject_alt_names',
    validation.matchSubjectAltNames.length > 0 && 'match_subject_alt_names',
    validation.verifyCertificateSpki.length > 0 && 'verify_certificate_spki',
    validation.verifyCertificateHash.length > 0 && 'verify_certificate_hash',
    validation.crl !== undefined && 'crl',
  ].find((field) => typeof field === 'string');
  if (unsupported) return { error: `validation_context.${unsupported}: not supported in an SDS secret` };
  if (!validation.trustedCa) return { error: 'validation_context.trusted_ca: required' };
  const bundleText = readDataSource(validation.trustedCa);
  if (typeof bundleText !== 'string') return { error: `validation_context.trusted_ca: ${bundleText.error}` };
  const roots = parseCertificates(bundleText);
  if ('error' in roots) return { error: `validation_context.trusted_ca: ${roots.error}` };
  for (const [index, root] of roots.entries())
    if (!root.ca) return { error: `validation_context.trusted_ca: certificate #${index} is not a CA` };
  // Re-encoded one block per line: OpenSSL reads only the first of two blocks glued on one line.
  return { kind: 'validation', material: { trustedCa: pemBundle(roots) }, certificates: roots };
}

function pemBundle(certificates: readonly X509Certificate[]): string {
  return certificates.map((certificate) => `${certificate.toString().trim()}\n`).join('');
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
