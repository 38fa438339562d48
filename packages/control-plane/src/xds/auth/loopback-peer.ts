// Whether a gRPC peer (`call.getPeer()`: `127.0.0.1:53122`, `::1:53122`, `::ffff:127.0.0.1:53122`) is on loopback.
import { isIP } from 'node:net';

/** The address part of a peer string, without its port; undefined when it is not an IP peer. */
export function peerAddress(peer: string): string | undefined {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(peer);
  if (bracketed) return bracketed[1];
  // gRPC writes `<address>:<port>` without brackets, so the port goes first: `::1:5:40000` is ::1:5, not ::1.
  const port = /:(\d+)$/.exec(peer);
  if (port) {
    const address = peer.slice(0, port.index);
    if (isIP(address) !== 0) return address;
  }
  return isIP(peer) !== 0 ? peer : undefined;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback; anything unparseable is not loopback. */
export function isLoopbackPeer(peer: string): boolean {
  const address = peerAddress(peer)?.toLowerCase();
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
