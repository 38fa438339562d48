// Starts a connection manager behind a local net.Server (accept → handleConnection, the codec chosen by
// peeking at the HTTP/2 preface), with builders for the HCM and route configuration protos tests use.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import type { RouteConfigurationSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { RouteSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import {
  HttpConnectionManagerSchema,
  type HttpConnectionManager,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { CorsSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  createHttpConnectionManager,
  type HttpConnectionManagerDeps,
} from '../../../src/http/connection-manager.ts';
import type { HttpConnectionHandler } from '../../../src/http/http-connection-handler.ts';
import { RouteTables } from '../../../src/http/route-tables.ts';
import type { StreamInfo } from '../../../src/http/stream-info.ts';
import { MemoryStats } from './memory-stats.ts';
import type { TestClusters } from './test-clusters.ts';

export type RouteConfigInit = MessageInitShape<typeof RouteConfigurationSchema>;
export type HcmInit = MessageInitShape<typeof HttpConnectionManagerSchema>;

export const PREFACE = 'PRI * HTTP/2.0';

export function defaultFilters(fault?: MessageInitShape<typeof HTTPFaultSchema>): HcmInit['httpFilters'] {
  const any = (a: Any) => ({ case: 'typedConfig' as const, value: a });
  return [
    { name: HTTP_FILTERS.FAULT, configType: any(packAny(HTTPFaultSchema, fault ?? {})) },
    { name: HTTP_FILTERS.CORS, configType: any(packAny(CorsSchema, {})) },
    { name: HTTP_FILTERS.ROUTER, configType: any(packAny(RouterSchema, {})) },
  ];
}

export type RouteInit = MessageInitShape<typeof RouteSchema>;

/** One virtual host for every domain with the given routes. */
export function routeConfig(routes: RouteInit[]): RouteConfigInit {
  return { name: 'test', virtualHosts: [{ name: 'all', domains: ['*'], routes }] };
}

/** An inline-routed HCM with fault, CORS and router; `extra` overrides any field. */
export function hcmConfig(
  route: RouteConfigInit,
  extra: Record<string, unknown> = {},
): HttpConnectionManager {
  const init = {
    statPrefix: 'test',
    routeSpecifier: { case: 'routeConfig', value: route },
    httpFilters: defaultFilters(),
    normalizePath: true,
    ...extra,
  } as HcmInit;
  return create(HttpConnectionManagerSchema, init);
}

export interface ProxyHarness {
  readonly port: number;
  readonly url: string;
  readonly stats: MemoryStats;
  readonly streams: StreamInfo[];
  readonly handler: HttpConnectionHandler;
  readonly routes: RouteTables;
  /** Resolves with the next completed stream's info. */
  nextStream(): Promise<StreamInfo>;
  close(): Promise<void>;
}

export interface ProxyOptions extends Partial<
  Omit<HttpConnectionManagerDeps, 'clusters' | 'stats' | 'routes'>
> {
  readonly routes?: RouteTables;
  readonly tls?: boolean;
}

export async function startProxy(
  config: HttpConnectionManager,
  clusters: TestClusters,
  options: ProxyOptions = {},
): Promise<ProxyHarness> {
  const stats = new MemoryStats();
  const streams: StreamInfo[] = [];
  const waiters: ((info: StreamInfo) => void)[] = [];
  const routes = options.routes ?? new RouteTables();
  const handler = createHttpConnectionManager(config, {
    ...options,
    routes,
    clusters,
    stats,
    onStreamComplete: (info) => {
      streams.push(info);
      waiters.shift()?.(info);
    },
  });
  if ('error' in handler) throw new Error(handler.error);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const chunk = socket.read() as Buffer | null;
      if (chunk) socket.unshift(chunk);
      const protocol = chunk?.subarray(0, PREFACE.length).toString('latin1') === PREFACE ? 'http2' : 'http1';
      handler.handleConnection(socket, protocol, {
        remoteAddress: socket.remoteAddress ?? '',
        remotePort: socket.remotePort ?? 0,
        localAddress: socket.localAddress ?? '',
        localPort: socket.localPort ?? 0,
        tls: options.tls ?? false,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    streams,
    handler,
    routes,
    nextStream: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends raw bytes and collects everything the proxy answers until it closes or `ms` pass. */
export async function rawExchange(port: number, payload: string, ms = 1000): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(payload);
  });
}
