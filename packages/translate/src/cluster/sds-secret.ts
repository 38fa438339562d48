// References to certificates the proxy fetches by name over SDS on the ADS stream, with Istio's names.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import type { SdsSecretConfigSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';

/** The workload's own SPIFFE certificate and key. */
export const WORKLOAD_CERT_SECRET = 'default';
/** The mesh's trust bundle. */
export const ROOT_CA_SECRET = 'ROOTCA';

/** A `credentialName` secret, named as Istio names it. */
export function credentialSecretName(credentialName: string): string {
  return `kubernetes://${credentialName}`;
}

/** The CA bundle that goes with a `credentialName` secret (Istio's `-cacert` suffix). */
export function credentialCaSecretName(credentialName: string): string {
  return `kubernetes://${credentialName}-cacert`;
}

export function sdsSecret(name: string): MessageInitShape<typeof SdsSecretConfigSchema> {
  return {
    name,
    sdsConfig: { configSourceSpecifier: { case: 'ads', value: {} }, resourceApiVersion: ApiVersion.V3 },
  };
}
