// Where a Gateway server's certificates come from: credentialName(s) in the secret store, or files.
import type { Gateway, Server, ServerTLSSettings } from '@heddle/api';
import type { SdsSecretConfig } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { clientCaBundle, namedCaBundle, servesCertificate } from '../security/gateway-credential-secrets.ts';
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
  const { snapshot } = ctx.index;
  const namespace = ctx.node.namespace;
  // A name the store holds is still missing when it cannot play its part (a CA-only secret as a certificate).
  const missing = [
    ...credentials.filter(
      (name) =>
        !snapshot.credentials.has(`${namespace}/${name}`) || !servesCertificate(snapshot, namespace, name),
    ),
    ...(tls.caCertCredentialName &&
    (!snapshot.credentials.has(`${namespace}/${tls.caCertCredentialName}`) ||
      (snapshot.credentialMaterial && !namedCaBundle(snapshot, namespace, tls.caCertCredentialName)))
      ? [tls.caCertCredentialName]
      : []),
  ];
  if (missing.length > 0) {
    ctx.warn({
      code: LISTENER_WARNINGS.CREDENTIAL_MISSING,
      message: `server on port ${server.port.number} (${server.port.name}) is not served: credential ${missing.map((m) => `${namespace}/${m}`).join(', ')} not found in the secret store`,
      resource: resourceRef(gateway),
    });
    return undefined;
  }
  const first = credentials[0];
  if (first !== undefined) {
    const certs = credentials.map((name) => sdsSecret(credentialSecretName(name)));
    if (tls.caCertCredentialName)
      return { certs, ca: sdsSecret(credentialSecretName(tls.caCertCredentialName)) };
    // With the material at hand, a credential without a client CA has none to offer (MUTUAL is then refused).
    if (snapshot.credentialMaterial && !clientCaBundle(snapshot, namespace, first)) return { certs };
    return { certs, ca: sdsSecret(credentialCaSecretName(first)) };
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
