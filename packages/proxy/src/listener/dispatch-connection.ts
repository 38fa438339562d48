// After inspection: select the filter chain, terminate TLS if the chain says so, run the read filters, and
// hand the connection to the chain's terminal filter.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DownstreamConnection } from '../filters/network/network-filter.ts';
import type { DownstreamConnectionInfo } from '../http/http-connection-handler.ts';
import { selectChain } from './chain-selector.ts';
import { parseIp } from './cidr.ts';
import type { CompiledListener } from './compile-listener.ts';
import type { FilterChainRuntime } from './filter-chain.ts';
import type { Inspection } from './inspect-connection.ts';
import { unmapIpv4, type SocketAddressInfo } from './original-destination.ts';

export function dispatchConnection(
  config: CompiledListener,
  socket: Socket,
  destination: SocketAddressInfo,
  originalDestination: SocketAddressInfo | undefined,
  inspection: Inspection,
): void {
  const sourceIp = parseIp(unmapIpv4(socket.remoteAddress ?? ''));
  const chain =
    selectChain(config.chains, {
      destinationIp: parseIp(destination.address),
      destinationPort: destination.port,
      sourceIp,
      directSourceIp: sourceIp,
      sourcePort: socket.remotePort ?? 0,
      serverName: inspection.serverName,
      transportProtocol: inspection.transportProtocol,
      applicationProtocols: inspection.applicationProtocols,
    }) ?? config.defaultChain;
  if (!chain) {
    config.stats.noFilterChainMatch.inc();
    socket.destroy();
    return;
  }
  if (!chain.track(socket)) return void socket.destroy();
  const base = {
    remoteAddress: unmapIpv4(socket.remoteAddress ?? ''),
    remotePort: socket.remotePort ?? 0,
    localAddress: unmapIpv4(socket.localAddress ?? ''),
    localPort: socket.localPort ?? 0,
    ...(originalDestination ? { originalDestination } : {}),
  };
  if (!chain.tls) {
    const info: DownstreamConnectionInfo = {
      ...base,
      ...(inspection.serverName !== '' ? { serverName: inspection.serverName } : {}),
      tls: false,
    };
    return start(chain, socket, {
      info,
      negotiatedProtocol: undefined,
      detectedProtocol: inspection.detectedProtocol,
    });
  }
  chain.tls.terminate(socket, (secure) => {
    const info: DownstreamConnectionInfo = {
      ...base,
      ...(secure.serverName !== undefined ? { serverName: secure.serverName } : {}),
      ...(secure.peerPrincipal !== undefined ? { peerPrincipal: secure.peerPrincipal } : {}),
      tls: true,
    };
    start(chain, secure.socket, {
      info,
      negotiatedProtocol: secure.negotiatedProtocol,
      detectedProtocol: undefined,
    });
  });
}

function start(chain: FilterChainRuntime, socket: Duplex, connection: DownstreamConnection): void {
  for (const filter of chain.readFilters)
    if (!filter.onConnection(connection)) {
      socket.destroy();
      return;
    }
  chain.terminal.onConnection(socket, connection);
}
