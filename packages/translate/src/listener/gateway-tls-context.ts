// The DownstreamTlsContext of a TLS-terminating Gateway server: certificates by SDS, client verification,
// protocol versions and cipher suites.
import { create } from '@bufbuild/protobuf';
import type { Gateway, Server, TLSProtocolVersion } from '@heddle/api';
import { packAny, TRANSPORT_SOCKETS } from '@heddle/xds';
import { TransportSocketSchema, type TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { TlsParameters_TlsProtocol as TlsProtocol } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { userCertificates } from './gateway-certificates.ts';
import { resourceRef } from './l4-match.ts';
import { ROOT_CA_SECRET, sdsSecret, WORKLOAD_CERT_SECRET } from './sds-secret.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

/** HTTPS servers offer HTTP/2 and HTTP/1.1; terminated TLS carrying TCP offers nothing. */
export const HTTPS_ALPN = ['h2', 'http/1.1'];

const PROTOCOL: Readonly<Record<TLSProtocolVersion, TlsProtocol>> = {
  TLS_AUTO: TlsProtocol.TLS_AUTO,
  TLSV1_0: TlsProtocol.TLSv1_0,
  TLSV1_1: TlsProtocol.TLSv1_1,
  TLSV1_2: TlsProtocol.TLSv1_2,
  TLSV1_3: TlsProtocol.TLSv1_3,
};

/**
 * Undefined (with a warning) when a named credential is not in the secret store: that server is not
 * served, the gateway's other servers are.
 */
export function gatewayTransportSocket(
  ctx: TranslationContext,
  gateway: Gateway,
  server: Server,
  alpn: readonly string[],
): TransportSocket | undefined {
  const tls = server.tls ?? {};
  const mode = tls.mode ?? 'PASSTHROUGH';
  const certificates =
    mode === 'ISTIO_MUTUAL'
      ? { certs: [sdsSecret(WORKLOAD_CERT_SECRET)], ca: sdsSecret(ROOT_CA_SECRET) }
      : userCertificates(ctx, gateway, server, tls);
  if (!certificates) return undefined;
  const verifiesClients = mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL' || mode === 'ISTIO_MUTUAL';
  if (verifiesClients && !certificates.ca) {
    ctx.warn({
      code: LISTENER_WARNINGS.CREDENTIAL_MISSING,
      message: `server on port ${server.port.number} (${server.port.name}) is not served: ${mode} needs CA certificates to verify clients`,
      resource: resourceRef(gateway),
    });
    return undefined;
  }
  const context = create(DownstreamTlsContextSchema, {
    commonTlsContext: {
      tlsParams: {
        tlsMinimumProtocolVersion: PROTOCOL[tls.minProtocolVersion ?? 'TLSV1_2'],
        tlsMaximumProtocolVersion: PROTOCOL[tls.maxProtocolVersion ?? 'TLSV1_3'],
        cipherSuites: [...new Set(tls.cipherSuites ?? [])],
      },
      tlsCertificateSdsSecretConfigs: certificates.certs,
      alpnProtocols: [...alpn],
      ...(verifiesClients && certificates.ca !== undefined
        ? {
            validationContextType: {
              case: 'combinedValidationContext' as const,
              value: {
                defaultValidationContext: {
                  matchSubjectAltNames: (tls.subjectAltNames ?? []).map((san) => ({
                    matchPattern: { case: 'exact' as const, value: san },
                  })),
                  verifyCertificateSpki: [...(tls.verifyCertificateSpki ?? [])],
                  verifyCertificateHash: [...(tls.verifyCertificateHash ?? [])],
                },
                validationContextSdsSecretConfig: certificates.ca,
              },
            },
          }
        : {}),
    },
    ...(verifiesClients ? { requireClientCertificate: mode !== 'OPTIONAL_MUTUAL' } : {}),
  });
  return create(TransportSocketSchema, {
    name: TRANSPORT_SOCKETS.TLS,
    configType: { case: 'typedConfig', value: packAny(DownstreamTlsContextSchema, context) },
  });
}
