// SDS secret references for gateway TLS: the shared Istio names, plus the names of file-based certificates.
import { create } from '@bufbuild/protobuf';
import {
  SdsSecretConfigSchema,
  type SdsSecretConfig,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import { sdsSecret as sdsSecretInit } from '../cluster/sds-secret.ts';

export {
  credentialCaSecretName,
  credentialSecretName,
  ROOT_CA_SECRET,
  WORKLOAD_CERT_SECRET,
} from '../cluster/sds-secret.ts';

/** Certificate and key files named in the Gateway (`serverCertificate`/`privateKey`), as Istio names them. */
export const fileCertSecretName = (cert: string, key: string): string => `file-cert:${cert}~${key}`;
export const fileRootSecretName = (ca: string): string => `file-root:${ca}`;

/** A secret fetched by name over the ADS stream that carries the config. */
export function sdsSecret(name: string): SdsSecretConfig {
  return create(SdsSecretConfigSchema, sdsSecretInit(name));
}
