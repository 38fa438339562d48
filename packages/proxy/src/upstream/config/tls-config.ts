// UpstreamTlsContext → the compiled client TLS settings: SNI, ALPN, the client certificate and the trust
// rules, each either inline (read now) or an SDS secret name (resolved when a connection is made).
import type { TlsParameters } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { TlsParameters_TlsProtocol } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import type { UpstreamTlsContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type { StringPredicate } from '../../http/routing/string-matcher.ts';
import { ClusterConfigError } from './config-error.ts';
import { readDataSource } from './data-source.ts';
import { compileValidation, sdsName } from './tls-validation-config.ts';

export type SanType = 'ANY' | 'DNS' | 'URI' | 'EMAIL' | 'IP';

export interface SanMatcher {
  readonly type: SanType;
  readonly matches: StringPredicate;
  /** Exact DNS matchers also accept a wildcard SAN covering the name (one label only). */
  readonly exactDns?: string;
}

export type Material<T> = { readonly inline: T } | { readonly sds: string };

export interface UpstreamTlsConfig {
  readonly sni: string;
  readonly alpn: readonly string[];
  readonly certificate?: Material<{
    readonly chain: string;
    readonly key: string;
    readonly passphrase?: string;
  }>;
  /** Trusted roots; undefined with `systemRoots` false means the chain is not verified (Envoy's default). */
  readonly trustedCa?: Material<string>;
  readonly systemRoots: boolean;
  readonly acceptUntrusted: boolean;
  readonly crl?: string;
  readonly sanMatchers: readonly SanMatcher[];
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly ciphers?: string;
  readonly ecdhCurve?: string;
  readonly sigalgs?: string;
}

export function compileUpstreamTls(context: UpstreamTlsContext, where: string): UpstreamTlsConfig {
  if (context.allowRenegotiation) throw new ClusterConfigError(`${where}.allow_renegotiation: not supported`);
  const common = context.commonTlsContext;
  const at = `${where}.common_tls_context`;
  if (common?.customHandshaker) throw new ClusterConfigError(`${at}.custom_handshaker: not supported`);
  if (
    common?.tlsCertificateProviderInstance ||
    common?.tlsCertificateCertificateProvider ||
    common?.tlsCertificateCertificateProviderInstance
  ) {
    throw new ClusterConfigError(`${at}: certificate provider instances are not supported (use SDS)`);
  }
  const certificates = common?.tlsCertificates ?? [];
  const sdsCertificates = common?.tlsCertificateSdsSecretConfigs ?? [];
  if (certificates.length + sdsCertificates.length > 1) {
    throw new ClusterConfigError(`${at}: at most one client certificate is supported`);
  }
  let certificate: UpstreamTlsConfig['certificate'];
  const inlineCert = certificates[0];
  if (inlineCert) {
    const cf = `${at}.tls_certificates[0]`;
    if (inlineCert.privateKeyProvider)
      throw new ClusterConfigError(`${cf}.private_key_provider: not supported`);
    if (!inlineCert.certificateChain || !inlineCert.privateKey) {
      throw new ClusterConfigError(`${cf}: certificate_chain and private_key are required`);
    }
    certificate = {
      inline: {
        chain: readDataSource(inlineCert.certificateChain, `${cf}.certificate_chain`),
        key: readDataSource(inlineCert.privateKey, `${cf}.private_key`),
        ...(inlineCert.password ? { passphrase: readDataSource(inlineCert.password, `${cf}.password`) } : {}),
      },
    };
  } else if (sdsCertificates[0]) {
    certificate = { sds: sdsName(sdsCertificates[0].name, `${at}.tls_certificate_sds_secret_configs[0]`) };
  }
  const validation = compileValidation(common?.validationContextType, at);
  return {
    sni: context.sni,
    alpn: common?.alpnProtocols ?? [],
    ...(certificate ? { certificate } : {}),
    ...validation,
    ...compileParams(common?.tlsParams, `${at}.tls_params`),
  };
}

const PROTOCOLS: Record<number, UpstreamTlsConfig['minVersion']> = {
  [TlsParameters_TlsProtocol.TLSv1_0]: 'TLSv1',
  [TlsParameters_TlsProtocol.TLSv1_1]: 'TLSv1.1',
  [TlsParameters_TlsProtocol.TLSv1_2]: 'TLSv1.2',
  [TlsParameters_TlsProtocol.TLSv1_3]: 'TLSv1.3',
};

function compileParams(params: TlsParameters | undefined, at: string): Partial<UpstreamTlsConfig> {
  if (!params) return {};
  if (params.cipherSuites.some((suite) => suite.startsWith('['))) {
    throw new ClusterConfigError(`${at}.cipher_suites: equal-preference groups are not supported`);
  }
  const minVersion = PROTOCOLS[params.tlsMinimumProtocolVersion];
  const maxVersion = PROTOCOLS[params.tlsMaximumProtocolVersion];
  return {
    ...(minVersion ? { minVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    ...(params.cipherSuites.length > 0 ? { ciphers: params.cipherSuites.join(':') } : {}),
    ...(params.ecdhCurves.length > 0 ? { ecdhCurve: params.ecdhCurves.join(':') } : {}),
    ...(params.signatureAlgorithms.length > 0 ? { sigalgs: params.signatureAlgorithms.join(':') } : {}),
  };
}
