// The SDS secrets a gateway's TLS servers name by `credentialName`, filled from the local secret store:
// `kubernetes://<name>` (certificate and key) and `kubernetes://<name>-cacert` (CA bundle for client certificates).
import { create } from '@bufbuild/protobuf';
import type { ServerTLSSettings } from '@heddle/api';
import {
  SecretSchema,
  type Secret,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import { credentialCaSecretName, credentialSecretName } from '../cluster/sds-secret.ts';
import { serverKind } from '../listener/gateway-servers.ts';
import type { CredentialMaterial, MeshSnapshot } from '../model/mesh-snapshot.ts';
import type { TranslationContext } from '../translate-proxy.ts';

/** Modes whose certificates come from the user (ISTIO_MUTUAL uses the workload's own). */
const USER_CERTIFICATE_MODES = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);
const VERIFYING_MODES = new Set(['MUTUAL', 'OPTIONAL_MUTUAL']);

/** `credentialNames` when given, else `credentialName`, as Istio reads them. */
export function credentialNamesOf(tls: ServerTLSSettings): readonly string[] {
  if (tls.credentialNames?.length) return tls.credentialNames;
  return tls.credentialName ? [tls.credentialName] : [];
}

function materialOf(snapshot: MeshSnapshot, namespace: string, name: string): CredentialMaterial | undefined {
  return snapshot.credentialMaterial?.get(`${namespace}/${name}`);
}

/**
 * Whether the store can serve `name` as a server certificate. Without material in the snapshot only the
 * names are known, and a known name is taken to be servable.
 */
export function servesCertificate(snapshot: MeshSnapshot, namespace: string, name: string): boolean {
  if (!snapshot.credentialMaterial) return true;
  const material = materialOf(snapshot, namespace, name);
  return material?.certificateChain !== undefined && material.privateKey !== undefined;
}

/**
 * The client CA bundle of credential `name`: its own `ca.crt`, else the separate secret `<name>-cacert`
 * (both are Istio's conventions). Undefined when the store has neither.
 */
export function clientCaBundle(snapshot: MeshSnapshot, namespace: string, name: string): string | undefined {
  return (
    materialOf(snapshot, namespace, name)?.caCertificate ??
    materialOf(snapshot, namespace, `${name}-cacert`)?.caCertificate
  );
}

/** The bundle a `caCertCredentialName` names: that secret's `ca.crt`, or its certificates when it has no key. */
export function namedCaBundle(snapshot: MeshSnapshot, namespace: string, name: string): string | undefined {
  const material = materialOf(snapshot, namespace, name);
  return material?.caCertificate ?? (material?.privateKey ? undefined : material?.certificateChain);
}

/** Empty for sidecars, and when the snapshot carries no credential material. */
export function gatewayCredentialSecrets(ctx: TranslationContext): Secret[] {
  const { snapshot } = ctx.index;
  if (ctx.node.role !== 'router' || !snapshot.credentialMaterial) return [];
  const namespace = ctx.node.namespace;
  const secrets = new Map<string, Secret>();
  const add = (secret: Secret | undefined): void => {
    if (secret && !secrets.has(secret.name)) secrets.set(secret.name, secret);
  };
  for (const gateway of ctx.index.gatewaysFor(ctx.node)) {
    for (const server of gateway.spec.servers ?? []) {
      const kind = serverKind(server);
      const tls = server.tls;
      if ((kind !== 'https' && kind !== 'tls-terminate') || !tls) continue;
      const mode = tls.mode ?? 'PASSTHROUGH';
      if (!USER_CERTIFICATE_MODES.has(mode)) continue;
      const names = credentialNamesOf(tls);
      for (const name of names) {
        const material = materialOf(snapshot, namespace, name);
        if (material?.certificateChain && material.privateKey)
          add(certificateSecret(credentialSecretName(name), material.certificateChain, material.privateKey));
      }
      if (!VERIFYING_MODES.has(mode)) continue;
      const first = names[0];
      if (tls.caCertCredentialName) {
        const bundle = namedCaBundle(snapshot, namespace, tls.caCertCredentialName);
        if (bundle) add(validationSecret(credentialSecretName(tls.caCertCredentialName), bundle));
      } else if (first !== undefined) {
        const bundle = clientCaBundle(snapshot, namespace, first);
        if (bundle) add(validationSecret(credentialCaSecretName(first), bundle));
      }
    }
  }
  return [...secrets.values()];
}

function certificateSecret(name: string, certificateChain: string, privateKey: string): Secret {
  return create(SecretSchema, {
    name,
    type: {
      case: 'tlsCertificate',
      value: {
        certificateChain: { specifier: { case: 'inlineString', value: certificateChain } },
        privateKey: { specifier: { case: 'inlineString', value: privateKey } },
      },
    },
  });
}

function validationSecret(name: string, bundle: string): Secret {
  return create(SecretSchema, {
    name,
    type: {
      case: 'validationContext',
      value: { trustedCa: { specifier: { case: 'inlineString', value: bundle } } },
    },
  });
}
