// Where a Gateway server's certificates come from: credentialName(s) in the secret store, or files.
import type { Gateway, Server, ServerTLSSettings } from '@heddle/api';
import type { SdsSecretConfig } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { resourceRef } from './l4-match.ts';
import {
  credentialCaSecretName,
  credentialSecretName,
  fileCertSecretName,
  fileRootSecretName,
  sdsSecret,
} from './sds-secret.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

export interface Certificates {
  readonly certs: SdsSecretConfig[];
  /** Trust bundle for client certificates, when the server has one. */
  readonly ca?: SdsSecretConfig;
}

/** credentialName(s) first, then inline certificate files, as Istio gives them precedence. */
export function userCertificates(
  ctx: TranslationContext,
  gateway: Gateway,
  server: Server,
  tls: ServerTLSSettings,
): Certificates | undefined {
  const credentials = tls.credentialNames?.length
    ? tls.credentialNames
    : tls.credentialName
      ? [tls.credentialName]
      : [];
  const missing = [...credentials, ...(tls.caCertCredentialName ? [tls.caCertCredentialName] : [])].filter(
    (name) => !ctx.index.snapshot.credentials.has(`${ctx.node.namespace}/${name}`),
  );
  if (missing.length > 0) {
    ctx.warn({
      code: LISTENER_WARNINGS.CREDENTIAL_MISSING,
      message: `server on port ${server.port.number} (${server.port.name}) is not served: credential ${missing.map((m) => `${ctx.node.namespace}/${m}`).join(', ')} not found in the secret store`,
      resource: resourceRef(gateway),
    });
    return undefined;
  }
  const first = credentials[0];
  if (first !== undefined) {
    const ca = tls.caCertCredentialName
      ? credentialSecretName(tls.caCertCredentialName)
      : credentialCaSecretName(first);
    return { certs: credentials.map((name) => sdsSecret(credentialSecretName(name))), ca: sdsSecret(ca) };
  }
  const files = tls.tlsCertificates?.length
    ? tls.tlsCertificates
    : [
        {
          serverCertificate: tls.serverCertificate,
          privateKey: tls.privateKey,
          caCertificates: tls.caCertificates,
        },
      ];
  const certs = files.flatMap((file) =>
    file.serverCertificate && file.privateKey
      ? [sdsSecret(fileCertSecretName(file.serverCertificate, file.privateKey))]
      : [],
  );
  if (certs.length === 0) {
    ctx.warn({
      code: LISTENER_WARNINGS.CREDENTIAL_MISSING,
      message: `server on port ${server.port.number} (${server.port.name}) is not served: it names no credential or certificate files`,
      resource: resourceRef(gateway),
    });
    return undefined;
  }
  const caFile = tls.caCertificates ?? files.find((file) => file.caCertificates)?.caCertificates;
  return { certs, ...(caFile ? { ca: sdsSecret(fileRootSecretName(caFile)) } : {}) };
}
