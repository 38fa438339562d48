// A loopback TCP relay in front of a control plane's xDS port. A proxy's bootstrap names the relay, not the
// control plane, so the proxy can be moved to another revision's control plane without a restart: `retarget`
// points new connections elsewhere and closes the current ones; the proxy keeps serving on its last config,
// reconnects (its usual back-off) and is then served by the new control plane.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface XdsRelay {
  /** `127.0.0.1:port`: what bootstraps name. */
  readonly address: string;
  /** The `host:port` connections go to now. */
  readonly target: () => string;
  /** Sends new connections to `target` and ends the open ones, so their proxies reconnect there. */
  retarget(target: string): void;
  close(): Promise<void>;
}

export async function startXdsRelay(target: string, host = '127.0.0.1', port = 0): Promise<XdsRelay> {
  let current = target;
  const open = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const [targetHost, targetPort] = splitHostPort(current);
    const upstream = connect({ host: targetHost, port: targetPort });
    open.add(downstream);
    const end = (): void => {
      open.delete(downstream);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, resolve);
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  return {
    address: `${host}:${boundPort}`,
    target: () => current,
    retarget(next) {
      if (next === current) return;
      current = next;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        open.clear();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
}
