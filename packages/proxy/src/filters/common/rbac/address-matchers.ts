// CidrRange and port rules of RBAC, compiled once to byte comparisons.
import type { CidrRange } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { cidrContains, parseCidr, type IpAddress } from '../../../listener/cidr.ts';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';

export type IpPredicate = (ip: IpAddress | undefined) => boolean;

export function compileCidr(range: CidrRange): CompileResult<IpPredicate> {
  const block = parseCidr(range.addressPrefix, range.prefixLen ?? 0);
  if (!block) return { error: `invalid CIDR ${range.addressPrefix}/${range.prefixLen ?? 0}` };
  return { value: (ip) => ip !== undefined && cidrContains(block, ip) };
}
