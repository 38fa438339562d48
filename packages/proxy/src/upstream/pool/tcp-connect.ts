// A raw upstream connection for tcp_proxy: max_connections enforced (overflow fails at once), connect_timeout,
// the endpoint's transport socket (TLS with SNI/ALPN/SAN checks), and the connection counted in stats.
import type { Duplex } from 'node:stream';
import { AttemptError } from '../attempt-error.ts';
import type { TransportSocketConfig } from '../config/transport-config.ts';
import type { Host } from '../host/host.ts';
import { dial } from './dial.ts';
import { connectionClosed, connectionFailed, connectionOpened, type PoolEnv } from './pool-env.ts';

export function connectTcp(host: Host, socketConfig: TransportSocketConfig, env: PoolEnv): Promise<Duplex> {
  if (!env.breakers.canOpenConnection()) {
    env.stats.upstream_cx_overflow.inc();
    return Promise.reject(
      new AttemptError(
        'connect-failure',
        'HEDDLE_UPSTREAM_CX_OVERFLOW',
        `cluster '${env.cluster.name}': max_connections (${env.cluster.circuitBreakers.maxConnections}) reached`,
      ),
    );
  }
  const transport = env.transports.resolve(socketConfig);
  if (transport instanceof AttemptError) {
    connectionFailed(env, transport);
    return Promise.reject(transport);
  }
  const tls = socketConfig.kind === 'tls' ? socketConfig.tls : undefined;
  return new Promise((resolve, reject) => {
    dial(
      {
        address: host.address,
        port: host.port,
        pipe: host.pipe,
        transport,
        servername: tls?.sni || undefined,
        verifyHost: undefined,
        alpn: tls?.alpn ?? [],
        connectTimeoutMs: env.cluster.connectTimeoutMs,
        keepalive: env.cluster.tcpKeepalive,
      },
      (err, socket) => {
        if (err) {
          connectionFailed(env, err);
          reject(err);
          return;
        }
        connectionOpened(env, host, 'tcp');
        socket.once('close', () => connectionClosed(env, host));
        resolve(socket);
      },
    );
  });
}
