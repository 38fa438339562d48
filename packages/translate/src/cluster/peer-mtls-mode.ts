// What a client can tell about a destination's mTLS mode from PeerAuthentication, as Istio's best-effort
// guess does: the namespace-wide policy of the service's namespace, else the mesh-wide one.
import type { MutualTLSMode, PeerAuthentication } from '@heddle/api';
import { compareText } from './compare-text.ts';

function namespaceWideMode(
  policies: readonly PeerAuthentication[],
  namespace: string,
): MutualTLSMode | undefined {
  // Oldest first, as Istio breaks ties between policies of equal scope.
  const mode = policies
    .filter((p) => (p.metadata.namespace ?? 'default') === namespace && !p.spec.selector?.matchLabels)
    .sort(
      (a, b) =>
        compareText(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') ||
        compareText(a.metadata.name, b.metadata.name),
    )[0]?.spec.mtls?.mode;
  return mode === 'UNSET' ? undefined : mode;
}

/** PERMISSIVE (Istio's default) when no namespace- or mesh-wide policy says otherwise. */
export function peerMtlsMode(
  policies: readonly PeerAuthentication[],
  serviceNamespace: string,
  rootNamespace: string,
): MutualTLSMode {
  return (
    namespaceWideMode(policies, serviceNamespace) ??
    namespaceWideMode(policies, rootNamespace) ??
    'PERMISSIVE'
  );
}
