// The `envoy.filters.network.rbac` read filter: the HTTP filter's engine on a TCP connection (no headers, no
// path). A deny closes the connection before any byte reaches the upstream; shadow rules only count.
import { NETWORK_RBAC_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import { RBACSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.ts';
import { createHeaderMap } from '../../../http/headers.ts';
import { connectionInput } from '../../common/rbac/http-input.ts';
import { compileRbacRules, evaluateRbacRules } from '../../common/rbac/rbac-rules.ts';
import { createRbacStats } from '../../common/rbac/rbac-stats.ts';
import type { NetworkFilterFactory } from '../network-filter.ts';

const NO_METADATA = new Map<string, Record<string, unknown>>();

export const networkRbacFactory: NetworkFilterFactory = (typedConfig, context) => {
  if (typedConfig.typeUrl !== NETWORK_RBAC_TYPE_URL) {
    return { error: `network rbac: unexpected config type ${typedConfig.typeUrl}` };
  }
  const config = unpackAnyAs(typedConfig, RBACSchema);
  if (!config) return { error: `network rbac: cannot decode ${typedConfig.typeUrl}` };
  if (config.statPrefix === '') return { error: 'network rbac: stat_prefix is required' };
  const rules = compileRbacRules(config, 'network_rbac');
  if ('error' in rules) return rules;
  const compiled = rules.value;
  const stats = createRbacStats(context.stats, config.statPrefix, '', config.shadowRulesStatPrefix);
  return {
    kind: 'read',
    onConnection(connection) {
      const base = connectionInput(connection.info);
      const outcome = evaluateRbacRules(compiled, {
        ...base,
        headers: createHeaderMap(),
        path: undefined,
        remoteIp: base.directRemoteIp,
        dynamicMetadata: NO_METADATA,
      });
      if (outcome.shadow) (outcome.shadow.allowed ? stats.shadowAllowed : stats.shadowDenied).inc();
      if (!outcome.enforced) return true;
      if (outcome.enforced.allowed) stats.allowed.inc();
      else stats.denied.inc();
      return outcome.enforced.allowed;
    },
  };
};
