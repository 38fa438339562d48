// IP addresses and CIDR blocks as bytes, so filter-chain prefix matching does no string work per connection.
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  readonly v4: boolean;
  /** 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
  readonly bytes: Uint8Array;
}

export interface CidrBlock extends IpAddress {
  readonly prefixLen: number;
  /** Canonical `address/len` with host bits cleared, to compare blocks. */
  readonly key: string;
}

export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { v4: true, bytes: Uint8Array.from(text.split('.').map(Number)) };
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const unzoned = bare.split('%')[0] ?? '';
  if (!isIPv6(unzoned)) return undefined;
  const bytes = parseIpv6(unzoned);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { v4: true, bytes: bytes.slice(12) } : { v4: false, bytes };
}

function parseIpv6(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** Envoy's CidrRange: an unset prefix_len means 0. Undefined for a bad address or length. */
export function parseCidr(address: string, prefixLen = 0): CidrBlock | undefined {
  const ip = parseIp(address);
  if (!ip || !Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > ip.bytes.length * 8)
    return undefined;
  const bytes = ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefixLen - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { v4: ip.v4, bytes, prefixLen, key: `${ip.v4 ? 'v4' : 'v6'}:${bytes.join('.')}/${prefixLen}` };
}

export function cidrContains(block: CidrBlock, ip: IpAddress): boolean {
  if (block.v4 !== ip.v4) return false;
  let bits = block.prefixLen;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== (block.bytes[i] ?? 0)) return false;
  }
  return true;
}

export function isLoopback(ip: IpAddress): boolean {
  if (ip.v4) return ip.bytes[0] === 127;
  return ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.v4 === b.v4 && a.bytes.every((byte, i) => byte === b.bytes[i]);
}
