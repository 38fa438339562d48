// RBAC stages as Envoy filters: `envoy.extensions.filters.http.rbac.v3.RBAC` in connection managers and
// `envoy.extensions.filters.network.rbac.v3.RBAC` on TCP chains.
import { packAny } from '@heddle/xds';
import { create } from '@bufbuild/protobuf';
import {
  FilterSchema,
  type Filter,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { RBACSchema as HttpRbacSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.ts';
import { RBACSchema as NetworkRbacSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.ts';
import { httpFilter } from '../../listener/http-filters.ts';
import { NETWORK_RBAC_STAT_PREFIX } from './policy-names.ts';
import type { RbacStage } from './rbac-stages.ts';

function ruleFields(stage: RbacStage) {
  return {
    ...(stage.rules ? { rules: stage.rules } : {}),
    ...(stage.shadowRules ? { shadowRules: stage.shadowRules } : {}),
    ...(stage.shadowRulesStatPrefix ? { shadowRulesStatPrefix: stage.shadowRulesStatPrefix } : {}),
  };
}

export function httpRbacFilter(stage: RbacStage): HttpFilter {
  return httpFilter(stage.httpName, packAny(HttpRbacSchema, ruleFields(stage)));
}

export function networkRbacFilter(stage: RbacStage): Filter {
  return create(FilterSchema, {
    name: stage.networkName,
    configType: {
      case: 'typedConfig',
      value: packAny(NetworkRbacSchema, { statPrefix: NETWORK_RBAC_STAT_PREFIX, ...ruleFields(stage) }),
    },
  });
}
