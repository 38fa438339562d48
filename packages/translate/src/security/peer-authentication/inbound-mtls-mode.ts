// The mTLS mode of one inbound port of the proxy's workload, with warnings for PeerAuthentication settings
// that cannot take effect as written. Gateways (role router) terminate their own TLS: always plaintext here.
import type { InboundPort } from '../../cluster/inbound-ports.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import {
  effectiveMtlsMode,
  peerAuthenticationLevels,
  policyRef,
  type ResolvedMtlsMode,
} from './effective-mtls-mode.ts';

export const PEER_AUTHN_WARNINGS = {
  /** portLevelMtls on a policy without a selector: Istio ignores it, and so does Heddle. */
  PORT_LEVEL_WITHOUT_SELECTOR: 'HEDDLE_TRANSLATE_PEER_AUTHN_PORT_LEVEL_IGNORED',
} as const;

export function inboundMtlsMode(ctx: TranslationContext, port: InboundPort): ResolvedMtlsMode {
  if (ctx.node.role === 'router') return 'DISABLE';
  const { snapshot, rootNamespace } = ctx.index;
  const levels = peerAuthenticationLevels(snapshot.peerAuthentications, ctx.node, rootNamespace);
  for (const policy of [levels.mesh, levels.namespace]) {
    if (!policy?.spec.portLevelMtls || Object.keys(policy.spec.portLevelMtls).length === 0) continue;
    ctx.warn({
      code: PEER_AUTHN_WARNINGS.PORT_LEVEL_WITHOUT_SELECTOR,
      resource: policyRef(policy),
      message: `portLevelMtls needs a workload selector; it is ignored for port ${port.port}`,
    });
  }
  return effectiveMtlsMode(levels, port.port).mode;
}
