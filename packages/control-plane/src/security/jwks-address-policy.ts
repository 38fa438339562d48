// Which addresses a JWKS fetch may connect to: never link-local or cloud metadata endpoints (a jwksUri must
// not turn the control plane into a way to read instance credentials), and loopback or unspecified
// addresses only when explicitly allowed (local test issuers).
import { isIP } from 'node:net';

export interface JwksAddressPolicy {
  readonly allowLoopback: boolean;
}

/** Expands an IPv6 text to its 8 groups; undefined when it is not IPv6. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

function ipv4Octets(address: string): number[] | undefined {
  if (isIP(address) === 4) return address.split('.').map(Number);
  const groups = ipv6Groups(address);
  // IPv4-mapped (::ffff:a.b.c.d) addresses reach the IPv4 host.
  if (groups && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  }
  return undefined;
}

/** Why a connection to `address` is refused, or undefined when it is allowed. */
export function refusedAddress(address: string, policy: JwksAddressPolicy): string | undefined {
  const v4 = ipv4Octets(address);
  if (v4) {
    const [a = 0, b = 0] = v4;
    if (a === 169 && b === 254) return `${address} is link-local (cloud metadata lives there)`;
    if (a === 100 && b === 100 && v4[2] === 100 && v4[3] === 200)
      return `${address} is a cloud metadata endpoint`;
    if ((a === 127 || v4.every((o) => o === 0)) && !policy.allowLoopback) {
      return `${address} is a loopback address (allowLoopbackJwks is off)`;
    }
    return undefined;
  }
  const groups = ipv6Groups(address);
  if (!groups) return `${address} is not an IP address`;
  const first = groups[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) return `${address} is link-local`;
  if (
    first === 0xfd00 &&
    groups[1] === 0x0ec2 &&
    groups.slice(2, 7).every((g) => g === 0) &&
    groups[7] === 0x254
  ) {
    return `${address} is a cloud metadata endpoint`;
  }
  const loopback = groups.slice(0, 7).every((g) => g === 0) && (groups[7] === 1 || groups[7] === 0);
  if (loopback && !policy.allowLoopback) return `${address} is a loopback address (allowLoopbackJwks is off)`;
  return undefined;
}
