// Where a DownstreamTlsContext's client verification comes from: an inline validation context, an SDS secret,
// or both combined; and the trusted roots and CRL read from the inline part.
import type { CertificateValidationContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import type { DownstreamTlsContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { rootCertificates } from 'node:tls';
import { readDataSource } from './data-source.ts';

type ValidationType = NonNullable<DownstreamTlsContext['commonTlsContext']>['validationContextType'];

export function validationOf(
  type: ValidationType,
): { inline: CertificateValidationContext | undefined; secret: string | undefined } | { error: string } {
  switch (type.case) {
    case undefined:
      return { inline: undefined, secret: undefined };
    case 'validationContext':
      return { inline: type.value, secret: undefined };
    case 'validationContextSdsSecretConfig':
      return { inline: undefined, secret: type.value.name };
    case 'combinedValidationContext': {
      const combined = type.value;
      if (
        combined.validationContextCertificateProvider ||
        combined.validationContextCertificateProviderInstance
      )
        return { error: 'combined_validation_context: certificate providers are not supported (use SDS)' };
      return {
        inline: combined.defaultValidationContext,
        secret: combined.validationContextSdsSecretConfig?.name,
      };
    }
    case 'validationContextCertificateProvider':
    case 'validationContextCertificateProviderInstance':
      return { error: `common_tls_context.${type.case}: not supported (use SDS)` };
  }
}

export function readRoots(
  validation: CertificateValidationContext,
): { trustedCa: string | readonly string[] | undefined; crl: string | undefined } | { error: string } {
  const where = 'common_tls_context.validation_context';
  if (validation.caCertificateProviderInstance)
    return { error: `${where}.ca_certificate_provider_instance: not supported` };
  let trustedCa: string | readonly string[] | undefined;
  if (validation.trustedCa) {
    const ca = readDataSource(validation.trustedCa);
    if (typeof ca !== 'string') return { error: `${where}.trusted_ca: ${ca.error}` };
    trustedCa = ca;
  } else if (validation.systemRootCerts) trustedCa = rootCertificates;
  let crl: string | undefined;
  if (validation.crl) {
    const read = readDataSource(validation.crl);
    if (typeof read !== 'string') return { error: `${where}.crl: ${read.error}` };
    crl = read;
  }
  return { trustedCa, crl };
}
