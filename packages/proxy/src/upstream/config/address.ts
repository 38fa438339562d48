// Envoy Address → host and port (or a unix socket path), refusing the forms the proxy cannot dial.
import { isIP } from 'node:net';
import type { Address } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { SocketAddress_Protocol } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { ClusterConfigError } from './config-error.ts';

export interface DialTarget {
  readonly address: string;
  readonly port: number;
  readonly pipe: boolean;
}

/** `where` names the resource and field for errors; `allowNames` is true only for DNS clusters. */
export function dialTarget(address: Address | undefined, where: string, allowNames: boolean): DialTarget {
  const value = address?.address;
  switch (value?.case) {
    case 'pipe':
      if (value.value.path === '') throw new ClusterConfigError(`${where}.pipe.path: empty`);
      return { address: value.value.path, port: 0, pipe: true };
    case 'socketAddress': {
      const socket = value.value;
      if (socket.protocol !== SocketAddress_Protocol.TCP) {
        throw new ClusterConfigError(`${where}.socket_address.protocol: only TCP is supported`);
      }
      if (socket.resolverName !== '') {
        throw new ClusterConfigError(
          `${where}.socket_address.resolver_name: custom resolvers are not supported`,
        );
      }
      if (socket.portSpecifier.case !== 'portValue') {
        throw new ClusterConfigError(
          `${where}.socket_address.port_value: required (named ports are not supported)`,
        );
      }
      const port = socket.portSpecifier.value;
      if (port < 1 || port > 65535) {
        throw new ClusterConfigError(`${where}.socket_address.port_value: ${port} is out of range`);
      }
      if (socket.address === '') throw new ClusterConfigError(`${where}.socket_address.address: empty`);
      if (!allowNames && isIP(socket.address) === 0) {
        throw new ClusterConfigError(
          `${where}.socket_address.address: '${socket.address}' is not an IP address (only DNS clusters resolve names)`,
        );
      }
      return { address: socket.address, port, pipe: false };
    }
    case 'envoyInternalAddress':
      throw new ClusterConfigError(`${where}.envoy_internal_address: internal listeners are not supported`);
    case undefined:
      throw new ClusterConfigError(`${where}: no address`);
  }
}

/** `ip:port`, with brackets for IPv6, as Envoy prints host addresses; the path for pipes. */
export function hostId(target: DialTarget): string {
  if (target.pipe) return target.address;
  return isIP(target.address) === 6
    ? `[${target.address}]:${target.port}`
    : `${target.address}:${target.port}`;
}
