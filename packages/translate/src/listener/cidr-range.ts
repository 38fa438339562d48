// IPs and CIDRs (`10.0.0.1`, `10.0.0.0/16`, `2001:db8::/32`) as Envoy CidrRanges, for destination matching.
import { create } from '@bufbuild/protobuf';
import { CidrRangeSchema, type CidrRange } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

export function isIpAddress(text: string): boolean {
  const v4 = IPV4.exec(text);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255);
  return text.includes(':') && IPV6.test(text) && (text.match(/::/g)?.length ?? 0) <= 1;
}

/** Undefined when `text` is neither an IP nor an IP with a valid prefix length. */
export function cidrRange(text: string): CidrRange | undefined {
  const [address = '', length, extra] = text.trim().split('/');
  if (extra !== undefined || !isIpAddress(address)) return undefined;
  const max = address.includes(':') ? 128 : 32;
  if (length === undefined) return create(CidrRangeSchema, { addressPrefix: address, prefixLen: max });
  if (!/^\d{1,3}$/.test(length) || Number(length) > max) return undefined;
  return create(CidrRangeSchema, { addressPrefix: address, prefixLen: Number(length) });
}

/** Every text that parses, deduplicated and sorted so output is deterministic; the rest go to `invalid`. */
export function cidrRanges(
  texts: readonly string[],
  invalid: (text: string) => void = () => {},
): CidrRange[] {
  const seen = new Map<string, CidrRange>();
  for (const text of texts) {
    const range = cidrRange(text);
    if (!range) invalid(text);
    else seen.set(`${range.addressPrefix}/${range.prefixLen ?? ''}`, range);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, range]) => range);
}
