// The UpstreamTlsContext for DestinationRule SIMPLE and MUTUAL TLS: certificates from a credentialName
// secret over SDS, or from files; the server verified against the given CA, else the system roots.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ClientTLSSettings } from '@heddle/api';
import type {
  CommonTlsContext,
  CommonTlsContextSchema,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type { UpstreamTlsContextInit } from './istio-mtls-context.ts';
import { credentialCaSecretName, credentialSecretName, sdsSecret } from './sds-secret.ts';

type CommonTlsInit = Exclude<MessageInitShape<typeof CommonTlsContextSchema>, CommonTlsContext>;

const file = (path: string) => ({ specifier: { case: 'filename' as const, value: path } });

function validation(tls: ClientTLSSettings): CommonTlsInit['validationContextType'] {
  if (tls.insecureSkipVerify === true) return undefined;
  const matchSubjectAltNames = (tls.subjectAltNames ?? []).map((san) => ({
    matchPattern: { case: 'exact' as const, value: san },
  }));
  if (tls.credentialName !== undefined) {
    return {
      case: 'combinedValidationContext',
      value: {
        defaultValidationContext: { matchSubjectAltNames },
        validationContextSdsSecretConfig: sdsSecret(credentialCaSecretName(tls.credentialName)),
      },
    };
  }
  return {
    case: 'validationContext',
    value: {
      ...(tls.caCertificates !== undefined
        ? { trustedCa: file(tls.caCertificates) }
        : { systemRootCerts: {} }),
      ...(tls.caCrl !== undefined ? { crl: file(tls.caCrl) } : {}),
      matchSubjectAltNames,
    },
  };
}

/** MUTUAL presents a client certificate: the credentialName secret, else the certificate and key files. */
function clientCertificate(
  tls: ClientTLSSettings,
): Pick<CommonTlsInit, 'tlsCertificateSdsSecretConfigs' | 'tlsCertificates'> {
  if (tls.mode !== 'MUTUAL') return {};
  if (tls.credentialName !== undefined) {
    return { tlsCertificateSdsSecretConfigs: [sdsSecret(credentialSecretName(tls.credentialName))] };
  }
  if (tls.clientCertificate === undefined || tls.privateKey === undefined) return {};
  return {
    tlsCertificates: [{ certificateChain: file(tls.clientCertificate), privateKey: file(tls.privateKey) }],
  };
}

/** `tls.mode` is SIMPLE or MUTUAL. */
export function simpleTlsContext(tls: ClientTLSSettings, http2: boolean): UpstreamTlsContextInit {
  return {
    commonTlsContext: {
      ...clientCertificate(tls),
      validationContextType: validation(tls),
      alpnProtocols: http2 ? ['h2'] : [],
    },
    sni: tls.sni ?? '',
  };
}
