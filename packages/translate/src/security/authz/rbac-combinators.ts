// Small constructors for Envoy RBAC principals and permissions: any, and, or, not; singletons stay flat.
import { create } from '@bufbuild/protobuf';
import {
  PermissionSchema,
  PrincipalSchema,
  type Permission,
  type Principal,
} from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';

export function anyPrincipal(): Principal {
  return create(PrincipalSchema, { identifier: { case: 'any', value: true } });
}

export function orIds(ids: readonly Principal[]): Principal {
  if (ids.length === 1 && ids[0]) return ids[0];
  return create(PrincipalSchema, { identifier: { case: 'orIds', value: { ids: [...ids] } } });
}

export function andIds(ids: readonly Principal[]): Principal {
  return create(PrincipalSchema, { identifier: { case: 'andIds', value: { ids: [...ids] } } });
}

export function notId(id: Principal): Principal {
  return create(PrincipalSchema, { identifier: { case: 'notId', value: id } });
}

export function anyPermission(): Permission {
  return create(PermissionSchema, { rule: { case: 'any', value: true } });
}

export function orRules(rules: readonly Permission[]): Permission {
  if (rules.length === 1 && rules[0]) return rules[0];
  return create(PermissionSchema, { rule: { case: 'orRules', value: { rules: [...rules] } } });
}

export function andRules(rules: readonly Permission[]): Permission {
  return create(PermissionSchema, { rule: { case: 'andRules', value: { rules: [...rules] } } });
}

export function notRule(rule: Permission): Permission {
  return create(PermissionSchema, { rule: { case: 'notRule', value: rule } });
}
