// What the main process sends its workers of its secrets: for every SDS name the clusters and listeners in
// force refer to (and the agent's `default` and `ROOTCA`), the material its provider answers now.
import type { Cluster, Listener } from '@heddle/xds';
import { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET } from '../security/mesh-secrets.ts';
import type { SecretProvider } from '../upstream/secret-provider.ts';
import { sdsSecretNames } from '../xds/secret-dependencies.ts';
import type { WireSecret } from './worker-protocol.ts';

export function secretsSnapshot(
  secrets: SecretProvider,
  clusters: Iterable<Cluster>,
  listeners: Iterable<Listener>,
): WireSecret[] {
  const names = new Set([WORKLOAD_CERT_SECRET, ROOT_CA_SECRET, ...sdsSecretNames(clusters, listeners)]);
  return [...names].sort().flatMap((name) => {
    const certificate = secrets.certificate(name);
    const validation = secrets.validation(name);
    if (!certificate && !validation) return [];
    return [
      {
        name,
        ...(certificate
          ? {
              certificate: {
                certificateChain: certificate.certificateChain,
                privateKey: certificate.privateKey,
              },
            }
          : {}),
        ...(validation ? { validation: { trustedCa: validation.trustedCa } } : {}),
      },
    ];
  });
}
