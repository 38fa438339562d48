// Builders for the RBAC protos the tests feed the proxy (the shapes Istio's AuthorizationPolicy becomes).
import type { MessageInitShape } from '@bufbuild/protobuf';
import { HTTP_FILTERS, NETWORK_FILTERS, packAny } from '@heddle/xds';
import {
  RBAC_Action,
  type PermissionSchema,
  type PrincipalSchema,
} from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import {
  RBACPerRouteSchema,
  RBACSchema as HttpRbacSchema,
} from '@heddle/xds/gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.ts';
import { RBACSchema as NetworkRbacSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/rbac/v3/rbac_pb.ts';
import { httpFilter, type HttpFilterInit } from './secured-proxy.ts';

export type PermissionInit = MessageInitShape<typeof PermissionSchema>;
export type PrincipalInit = MessageInitShape<typeof PrincipalSchema>;
export type Action = 'ALLOW' | 'DENY' | 'LOG';

export interface PolicyInit {
  readonly permissions: PermissionInit[];
  readonly principals: PrincipalInit[];
}

const ACTION = { ALLOW: RBAC_Action.ALLOW, DENY: RBAC_Action.DENY, LOG: RBAC_Action.LOG } as const;

export function rules(action: Action, policies: Record<string, PolicyInit>) {
  return { action: ACTION[action], policies };
}

export const anyPermission: PermissionInit = { rule: { case: 'any', value: true } };
export const anyPrincipal: PrincipalInit = { identifier: { case: 'any', value: true } };

export function pathPrefix(prefix: string, ignoreCase = false): PermissionInit {
  return {
    rule: {
      case: 'urlPath',
      value: {
        rule: { case: 'path', value: { matchPattern: { case: 'prefix', value: prefix }, ignoreCase } },
      },
    },
  };
}

export function pathExact(path: string): PermissionInit {
  return {
    rule: {
      case: 'urlPath',
      value: { rule: { case: 'path', value: { matchPattern: { case: 'exact', value: path } } } },
    },
  };
}

export function headerExact(name: string, value: string, ignoreCase = false) {
  return {
    name,
    headerMatchSpecifier: {
      case: 'stringMatch' as const,
      value: { matchPattern: { case: 'exact' as const, value }, ignoreCase },
    },
  };
}

export function headerPermission(header: ReturnType<typeof headerExact>): PermissionInit {
  return { rule: { case: 'header', value: header } };
}

export function principalName(exact: string): PrincipalInit {
  return {
    identifier: {
      case: 'authenticated',
      value: { principalName: { matchPattern: { case: 'exact', value: exact } } },
    },
  };
}

/** An HTTP RBAC filter, named as Istio names it unless `name` says otherwise. */
export function httpRbacFilter(
  config: MessageInitShape<typeof HttpRbacSchema>,
  name: string = HTTP_FILTERS.RBAC,
): HttpFilterInit {
  return httpFilter(name, packAny(HttpRbacSchema, config));
}

export function rbacPerRoute(config: MessageInitShape<typeof RBACPerRouteSchema>) {
  return packAny(RBACPerRouteSchema, config);
}

export function networkRbacFilter(config: MessageInitShape<typeof NetworkRbacSchema>) {
  return { name: NETWORK_FILTERS.RBAC, config: packAny(NetworkRbacSchema, config) };
}
