// Binding the plaintext gRPC server and shutting it down: streams first, then the server, forced after a grace period.
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import type { AdsServer } from '../xds/ads-server.ts';
import type { ListenAddress } from './parse-address.ts';

const SHUTDOWN_GRACE_MS = 5_000;

/** Resolves with the bound port (the OS's pick for port 0). */
export function bindGrpc(server: Server, address: ListenAddress): Promise<number> {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${address.port}`, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

/** Streams end first (proxies see UNAVAILABLE and reconnect); calls still open after the grace period are cut. */
export async function shutdownGrpc(server: Server, ads: AdsServer): Promise<void> {
  ads.closeAll();
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
