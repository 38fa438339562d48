// The trust half of an UpstreamTlsContext: which roots verify the server (inline, SDS, or the system's),
// CRLs, and the SAN matchers its certificate must satisfy; Envoy's rules for what may be combined.
import type { UpstreamTlsContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type {
  CertificateValidationContext,
  SubjectAltNameMatcher,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import {
  CertificateValidationContext_TrustChainVerification,
  SubjectAltNameMatcher_SanType,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { compileStringMatcher } from '../../http/routing/string-matcher.ts';
import { ClusterConfigError } from './config-error.ts';
import { readDataSource } from './data-source.ts';
import type { Material, SanMatcher, SanType, UpstreamTlsConfig } from './tls-config.ts';

type ValidationType = NonNullable<UpstreamTlsContext['commonTlsContext']>['validationContextType'];
type CompiledValidation = Pick<
  UpstreamTlsConfig,
  'trustedCa' | 'systemRoots' | 'acceptUntrusted' | 'crl' | 'sanMatchers'
>;

export function compileValidation(type: ValidationType | undefined, at: string): CompiledValidation {
  switch (type?.case) {
    case undefined:
      return { systemRoots: false, acceptUntrusted: false, sanMatchers: [] };
    case 'validationContext':
      return compileValidationContext(type.value, undefined, `${at}.validation_context`);
    case 'validationContextSdsSecretConfig':
      return {
        trustedCa: { sds: sdsName(type.value.name, `${at}.validation_context_sds_secret_config`) },
        systemRoots: false,
        acceptUntrusted: false,
        sanMatchers: [],
      };
    case 'combinedValidationContext': {
      const combined = type.value;
      const field = `${at}.combined_validation_context`;
      if (!combined.validationContextSdsSecretConfig) {
        throw new ClusterConfigError(`${field}.validation_context_sds_secret_config: required`);
      }
      const sds = sdsName(
        combined.validationContextSdsSecretConfig.name,
        `${field}.validation_context_sds_secret_config`,
      );
      return compileValidationContext(
        combined.defaultValidationContext,
        sds,
        `${field}.default_validation_context`,
      );
    }
    case 'validationContextCertificateProvider':
    case 'validationContextCertificateProviderInstance':
      throw new ClusterConfigError(`${at}: certificate provider instances are not supported (use SDS)`);
  }
}

function compileValidationContext(
  context: CertificateValidationContext | undefined,
  sdsCa: string | undefined,
  at: string,
): CompiledValidation {
  if (context) rejectUnsupportedValidation(context, at);
  const inlineCa = context?.trustedCa ? readDataSource(context.trustedCa, `${at}.trusted_ca`) : undefined;
  const trustedCa: Material<string> | undefined =
    sdsCa !== undefined ? { sds: sdsCa } : inlineCa !== undefined ? { inline: inlineCa } : undefined;
  const systemRoots = trustedCa === undefined && context?.systemRootCerts !== undefined;
  const sanMatchers = [
    ...(context?.matchSubjectAltNames ?? []).map((m, i) =>
      compileSan('ANY', m, `${at}.match_subject_alt_names[${i}]`),
    ),
    ...(context?.matchTypedSubjectAltNames ?? []).map((m, i) =>
      compileTypedSan(m, `${at}.match_typed_subject_alt_names[${i}]`),
    ),
  ];
  if (sanMatchers.length > 0 && trustedCa === undefined && !systemRoots) {
    throw new ClusterConfigError(`${at}: SAN matching without a trusted CA is insecure and not allowed`);
  }
  return {
    ...(trustedCa ? { trustedCa } : {}),
    systemRoots,
    acceptUntrusted:
      context?.trustChainVerification ===
      CertificateValidationContext_TrustChainVerification.ACCEPT_UNTRUSTED,
    ...(context?.crl ? { crl: readDataSource(context.crl, `${at}.crl`) } : {}),
    sanMatchers,
  };
}

function rejectUnsupportedValidation(context: CertificateValidationContext, at: string): void {
  const unsupportedFields: [boolean, string][] = [
    [context.verifyCertificateSpki.length > 0, 'verify_certificate_spki'],
    [context.verifyCertificateHash.length > 0, 'verify_certificate_hash'],
    [context.allowExpiredCertificate, 'allow_expired_certificate'],
    [context.customValidatorConfig !== undefined, 'custom_validator_config'],
    [context.onlyVerifyLeafCertCrl, 'only_verify_leaf_cert_crl'],
    [context.requireSignedCertificateTimestamp === true, 'require_signed_certificate_timestamp'],
    [context.caCertificateProviderInstance !== undefined, 'ca_certificate_provider_instance'],
    [context.watchedDirectory !== undefined, 'watched_directory'],
  ];
  for (const [set, field] of unsupportedFields) {
    if (set) throw new ClusterConfigError(`${at}.${field}: not supported`);
  }
}

const SAN_TYPES: Record<number, SanType | undefined> = {
  [SubjectAltNameMatcher_SanType.DNS]: 'DNS',
  [SubjectAltNameMatcher_SanType.URI]: 'URI',
  [SubjectAltNameMatcher_SanType.EMAIL]: 'EMAIL',
  [SubjectAltNameMatcher_SanType.IP_ADDRESS]: 'IP',
};

function compileTypedSan(matcher: SubjectAltNameMatcher, at: string): SanMatcher {
  const type = SAN_TYPES[matcher.sanType];
  if (!type)
    throw new ClusterConfigError(`${at}.san_type: only DNS, URI, EMAIL and IP_ADDRESS are supported`);
  if (!matcher.matcher) throw new ClusterConfigError(`${at}.matcher: required`);
  return compileSan(type, matcher.matcher, `${at}.matcher`);
}

function compileSan(
  type: SanType,
  matcher: Parameters<typeof compileStringMatcher>[0],
  at: string,
): SanMatcher {
  const compiled = compileStringMatcher(matcher);
  if ('error' in compiled) throw new ClusterConfigError(`${at}: ${compiled.error}`);
  const exact =
    matcher.matchPattern.case === 'exact' && !matcher.ignoreCase ? matcher.matchPattern.value : undefined;
  return { type, matches: compiled.value, ...(exact !== undefined ? { exactDns: exact } : {}) };
}

export function sdsName(name: string, at: string): string {
  if (name === '') throw new ClusterConfigError(`${at}.name: required`);
  return name;
}
