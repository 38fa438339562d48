// Compiles a DownstreamTlsContext into what the TLS server needs: where certificates and roots come from
// (inline now, or SDS names resolved on every secret change), protocol parameters, and peer verification.
import type {
  TlsCertificate,
  TlsParameters,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { TlsParameters_TlsProtocol as TlsProtocol } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import type { DownstreamTlsContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { constants } from 'node:crypto';
import type { SecureVersion } from 'node:tls';
import { readDataSource } from './data-source.ts';
import { readRoots, validationOf } from './validation-source.ts';
import { compilePeerVerification, type PeerVerification } from './verify-peer.ts';

export interface InlineCertificate {
  readonly cert: string;
  readonly key: string;
  readonly passphrase?: string;
}

export interface TlsContextSpec {
  readonly certificates: readonly InlineCertificate[];
  readonly certificateSecrets: readonly string[];
  /** PEM roots given inline; undefined when clients are not verified or roots come from SDS. */
  readonly trustedCa: string | readonly string[] | undefined;
  readonly validationSecret: string | undefined;
  readonly crl: string | undefined;
  /** Whether client certificates are asked for (a validation context is present). */
  readonly verifiesClients: boolean;
  readonly verification: PeerVerification;
  readonly requireSni: boolean;
  readonly alpn: readonly string[];
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  readonly ciphers: string | undefined;
  readonly ecdhCurve: string | undefined;
  readonly sigalgs: string | undefined;
  readonly secureOptions: number;
  readonly sessionTimeoutSeconds: number | undefined;
}

const VERSIONS: Readonly<Record<number, SecureVersion>> = {
  [TlsProtocol.TLSv1_0]: 'TLSv1',
  [TlsProtocol.TLSv1_1]: 'TLSv1.1',
  [TlsProtocol.TLSv1_2]: 'TLSv1.2',
  [TlsProtocol.TLSv1_3]: 'TLSv1.3',
};
const VERSION_ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export function compileTlsContextSpec(context: DownstreamTlsContext): TlsContextSpec | { error: string } {
  const common = context.commonTlsContext;
  if (!common) return { error: 'common_tls_context: required' };
  if (
    context.sessionTicketKeysType.case !== undefined &&
    context.sessionTicketKeysType.case !== 'disableStatelessSessionResumption'
  )
    return { error: `${context.sessionTicketKeysType.case}: not supported` };
  if (context.ocspStaplePolicy !== 0)
    return { error: 'ocsp_staple_policy: only LENIENT_STAPLING is supported' };
  if (
    common.tlsCertificateProviderInstance ||
    common.tlsCertificateCertificateProvider ||
    common.tlsCertificateCertificateProviderInstance
  )
    return { error: 'common_tls_context: certificate providers are not supported (use SDS)' };
  if (common.customHandshaker) return { error: 'common_tls_context.custom_handshaker: not supported' };
  if (common.keyLog) return { error: 'common_tls_context.key_log: not supported' };
  const certificates: InlineCertificate[] = [];
  for (const [i, certificate] of common.tlsCertificates.entries()) {
    const inline = readCertificate(certificate);
    if ('error' in inline) return { error: `common_tls_context.tls_certificates[${i}]: ${inline.error}` };
    certificates.push(inline);
  }
  const certificateSecrets = common.tlsCertificateSdsSecretConfigs.map((sds) => sds.name);
  if (certificates.length + certificateSecrets.length === 0)
    return { error: 'common_tls_context: no tls_certificates or tls_certificate_sds_secret_configs' };
  const validation = validationOf(common.validationContextType);
  if ('error' in validation) return validation;
  const roots = validation.inline ? readRoots(validation.inline) : { trustedCa: undefined, crl: undefined };
  if ('error' in roots) return roots;
  const verification = compilePeerVerification(validation.inline);
  if ('error' in verification)
    return { error: `common_tls_context.validation_context: ${verification.error}` };
  const verifiesClients = roots.trustedCa !== undefined || validation.secret !== undefined;
  const requireClientCertificate = context.requireClientCertificate === true;
  if (requireClientCertificate && !verifiesClients)
    return { error: 'require_client_certificate: needs a validation context with trusted roots' };
  const params = compileParams(common.tlsParams);
  if ('error' in params) return { error: `common_tls_context.tls_params.${params.error}` };
  const disableTickets = context.sessionTicketKeysType.case === 'disableStatelessSessionResumption';
  return {
    certificates,
    certificateSecrets,
    trustedCa: roots.trustedCa,
    validationSecret: validation.secret,
    crl: roots.crl,
    verifiesClients,
    verification: { ...verification, requireClientCertificate },
    requireSni: context.requireSni === true,
    alpn: [...common.alpnProtocols],
    ...params,
    secureOptions: disableTickets ? constants.SSL_OP_NO_TICKET : 0,
    sessionTimeoutSeconds: context.sessionTimeout ? Number(context.sessionTimeout.seconds) : undefined,
  };
}

function readCertificate(certificate: TlsCertificate): InlineCertificate | { error: string } {
  if (certificate.privateKeyProvider) return { error: 'private_key_provider: not supported' };
  if (!certificate.certificateChain || !certificate.privateKey)
    return { error: 'certificate_chain and private_key are required' };
  const cert = readDataSource(certificate.certificateChain);
  if (typeof cert !== 'string') return { error: `certificate_chain: ${cert.error}` };
  const key = readDataSource(certificate.privateKey);
  if (typeof key !== 'string') return { error: `private_key: ${key.error}` };
  const password = certificate.password ? readDataSource(certificate.password) : undefined;
  if (password !== undefined && typeof password !== 'string') return { error: `password: ${password.error}` };
  return { cert, key, ...(password !== undefined ? { passphrase: password } : {}) };
}

/** Envoy's downstream defaults: TLS 1.2 to TLS 1.3. */
function compileParams(
  params: TlsParameters | undefined,
):
  | Pick<TlsContextSpec, 'minVersion' | 'maxVersion' | 'ciphers' | 'ecdhCurve' | 'sigalgs'>
  | { error: string } {
  const minVersion = params?.tlsMinimumProtocolVersion
    ? VERSIONS[params.tlsMinimumProtocolVersion]
    : 'TLSv1.2';
  const maxVersion = params?.tlsMaximumProtocolVersion
    ? VERSIONS[params.tlsMaximumProtocolVersion]
    : 'TLSv1.3';
  if (!minVersion) return { error: 'tls_minimum_protocol_version: unknown value' };
  if (!maxVersion) return { error: 'tls_maximum_protocol_version: unknown value' };
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion))
    return { error: 'tls_minimum_protocol_version: above tls_maximum_protocol_version' };
  // BoringSSL's equal-preference groups `[A|B]` have no OpenSSL form; their members keep the listed order.
  const ciphers = params?.cipherSuites.length
    ? params.cipherSuites.map((suite) => suite.replace(/^\[|\]$/g, '').replaceAll('|', ':')).join(':')
    : undefined;
  return {
    minVersion,
    maxVersion,
    ciphers,
    ecdhCurve: params?.ecdhCurves.length ? params.ecdhCurves.join(':') : undefined,
    sigalgs: params?.signatureAlgorithms.length ? params.signatureAlgorithms.join(':') : undefined,
  };
}
