// The UpstreamTlsContext of Istio mutual TLS: the workload certificate and mesh roots over SDS, the
// destination's SPIFFE identities as accepted SANs, Istio's SNI and ALPN.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { UpstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type { MeshService } from '../model/service.ts';
import { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET, sdsSecret } from './sds-secret.ts';

export type UpstreamTlsContextInit = MessageInitShape<typeof UpstreamTlsContextSchema>;

/** `istio-peer-exchange` lets peers swap workload metadata for telemetry; `istio` marks in-mesh traffic. */
const ISTIO_ALPN = ['istio-peer-exchange', 'istio'];
const ISTIO_ALPN_H2 = [...ISTIO_ALPN, 'h2'];

/** Istio's SNI for in-mesh traffic, `outbound_.<port>_.<subset>_.<host>`, which inbound listeners match on. */
export function istioSni(port: number, subset: string, host: string): string {
  return `outbound_.${port}_.${subset}_.${host}`;
}

/**
 * `spiffe://<trust domain>/ns/<ns>/sa/<sa>` for each service account behind the service, in every trust
 * domain. `sidecarsOnly`: auto mTLS talks TLS only to endpoints with a proxy, so only their identities count.
 */
export function spiffeIdentities(
  service: MeshService,
  trustDomains: readonly string[],
  sidecarsOnly: boolean,
): string[] {
  const ids = new Set<string>();
  for (const endpoint of service.endpoints) {
    if (endpoint.serviceAccount === undefined || (sidecarsOnly && endpoint.tlsMode !== 'istio')) continue;
    for (const domain of trustDomains) {
      ids.add(`spiffe://${domain}/ns/${endpoint.namespace}/sa/${endpoint.serviceAccount}`);
    }
  }
  return [...ids].sort();
}

export interface IstioMutualInput {
  readonly sni: string;
  /** Empty: any certificate from the mesh CA is accepted. */
  readonly subjectAltNames: readonly string[];
  readonly http2: boolean;
}

export function istioMutualContext(input: IstioMutualInput): UpstreamTlsContextInit {
  return {
    commonTlsContext: {
      tlsCertificateSdsSecretConfigs: [sdsSecret(WORKLOAD_CERT_SECRET)],
      validationContextType: {
        case: 'combinedValidationContext',
        value: {
          defaultValidationContext: {
            matchSubjectAltNames: input.subjectAltNames.map((san) => ({
              matchPattern: { case: 'exact', value: san },
            })),
          },
          validationContextSdsSecretConfig: sdsSecret(ROOT_CA_SECRET),
        },
      },
      alpnProtocols: input.http2 ? ISTIO_ALPN_H2 : ISTIO_ALPN,
    },
    sni: input.sni,
  };
}
