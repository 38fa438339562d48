// The seam for transparent capture: where a redirected connection was originally going.
import type { Socket } from 'node:net';

export interface SocketAddressInfo {
  readonly address: string;
  readonly port: number;
}

/**
 * The pre-redirect destination of a connection captured by iptables REDIRECT or TPROXY (`SO_ORIGINAL_DST`).
 * Node cannot read that socket option without a native addon, so until the addon exists this returns
 * undefined, and listeners use the socket's local address instead — which is exact for explicit capture,
 * where clients connect to the listener's own address. `use_original_dst` listeners then hand a connection to
 * the `bind_to_port: false` listener whose address matches that local address and port.
 */
export function originalDestinationOf(_socket: Socket): SocketAddressInfo | undefined {
  return undefined;
}

/** `::ffff:10.0.0.1` (a dual-stack socket's view of IPv4) as `10.0.0.1`. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
