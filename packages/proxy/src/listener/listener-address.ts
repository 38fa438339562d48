// A listener's socket addresses: validated TCP ip:port pairs, and the `<ip>_<port>` form Envoy names stats by.
import type { Address } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { SocketAddress_Protocol } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { parseIp } from './cidr.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Errors are relative to the address field. */
export function parseListenAddress(address: Address | undefined): ListenAddress | { error: string } {
  if (!address) return { error: 'required' };
  const kind = address.address;
  if (kind.case !== 'socketAddress') return { error: `${kind.case ?? 'empty'} addresses are not supported` };
  const socket = kind.value;
  if (socket.protocol === SocketAddress_Protocol.UDP) return { error: 'UDP listeners are not supported' };
  if (socket.protocol !== SocketAddress_Protocol.TCP)
    return { error: `protocol ${socket.protocol} is not supported` };
  if (socket.resolverName !== '') return { error: 'resolver_name: not supported' };
  if (!parseIp(socket.address)) return { error: `'${socket.address}' is not an IP address` };
  const port = socket.portSpecifier;
  if (port.case !== 'portValue') return { error: 'port_value is required (named ports are not supported)' };
  if (port.value < 0 || port.value > 65535) return { error: `port ${port.value} is out of range` };
  return { host: socket.address, port: port.value };
}

/** `0.0.0.0_15001`; IPv6 colons become underscores as Envoy's stat names do. */
export function addressStatName(address: ListenAddress): string {
  return `${address.host.replaceAll(':', '_')}_${address.port}`;
}
