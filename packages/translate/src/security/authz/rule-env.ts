// What translating one rule needs besides the rule: the policy's namespace, the trust domains, and a sink
// for values that cannot be translated (the rule is then unusable and handled fail-closed).
import { create } from '@bufbuild/protobuf';
import {
  PermissionSchema,
  PrincipalSchema,
  type Permission,
  type Principal,
} from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { cidrRange } from '../../listener/cidr-range.ts';
import type { MissingIdentity, TrustDomains } from './identity-matchers.ts';

export interface RuleEnv {
  readonly policyNamespace: string;
  readonly trustDomains: TrustDomains;
  /** How negated identity fields treat plaintext: `no-match` for ALLOW, `match` for DENY and CUSTOM. */
  readonly missingIdentity?: MissingIdentity;
  problem(message: string): void;
}

export type IpSource = 'directRemoteIp' | 'remoteIp';

/** The peer address (`directRemoteIp`) or the original client address (`remoteIp`) within a CIDR. */
export function ipIds(values: readonly string[], source: IpSource, env: RuleEnv): Principal[] {
  return values.flatMap((text) => {
    const range = cidrRange(text);
    if (!range) {
      env.problem(`"${text}" is not an IP address or CIDR`);
      return [];
    }
    return [create(PrincipalSchema, { identifier: { case: source, value: range } })];
  });
}

export function destinationIpRules(values: readonly string[], env: RuleEnv): Permission[] {
  return values.flatMap((text) => {
    const range = cidrRange(text);
    if (!range) {
      env.problem(`"${text}" is not an IP address or CIDR`);
      return [];
    }
    return [create(PermissionSchema, { rule: { case: 'destinationIp', value: range } })];
  });
}

export function destinationPortRules(values: readonly string[], env: RuleEnv): Permission[] {
  return values.flatMap((text) => {
    const port = /^\d{1,5}$/.test(text.trim()) ? Number(text) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      env.problem(`"${text}" is not a port number`);
      return [];
    }
    return [create(PermissionSchema, { rule: { case: 'destinationPort', value: port } })];
  });
}
