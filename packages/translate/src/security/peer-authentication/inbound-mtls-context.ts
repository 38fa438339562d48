// The DownstreamTlsContext of an inbound port under Istio mutual TLS: the workload certificate (`default`)
// and the mesh roots (`ROOTCA`) over SDS, client certificates required, TLS 1.2+, and Istio's ALPN values.
import { create } from '@bufbuild/protobuf';
import { packAny, TRANSPORT_SOCKETS } from '@heddle/xds';
import { TransportSocketSchema, type TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { TlsParameters_TlsProtocol as TlsProtocol } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET, sdsSecret } from '../../cluster/sds-secret.ts';

/**
 * HTTP ports offer h2 and http/1.1 first so an h2 client gets h2; `istio-peer-exchange` and `istio` are what
 * in-mesh HTTP/1.1 and TCP clients offer. Other ports put the Istio values first.
 */
const HTTP_ALPN = ['h2', 'http/1.1', 'istio-peer-exchange', 'istio'];
const TCP_ALPN = ['istio-peer-exchange', 'istio', 'h2', 'http/1.1'];

export function inboundMtlsTransportSocket(http: boolean): TransportSocket {
  const context = packAny(DownstreamTlsContextSchema, {
    requireClientCertificate: true,
    commonTlsContext: {
      tlsParams: {
        tlsMinimumProtocolVersion: TlsProtocol.TLSv1_2,
        tlsMaximumProtocolVersion: TlsProtocol.TLSv1_3,
      },
      tlsCertificateSdsSecretConfigs: [sdsSecret(WORKLOAD_CERT_SECRET)],
      validationContextType: {
        case: 'combinedValidationContext',
        value: { defaultValidationContext: {}, validationContextSdsSecretConfig: sdsSecret(ROOT_CA_SECRET) },
      },
      alpnProtocols: http ? HTTP_ALPN : TCP_ALPN,
    },
  });
  return create(TransportSocketSchema, {
    name: TRANSPORT_SOCKETS.TLS,
    configType: { case: 'typedConfig', value: context },
  });
}
