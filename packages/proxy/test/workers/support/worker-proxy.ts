// Runs bin/heddle-proxy.ts with `--concurrency` as a child process against a fake ADS server, with two real
// upstreams (`a` and `b`) and one listener on a fixed loopback port routed by RDS to either; and reads
// its admin API, its worker processes and fresh-connection requests through it.
import { create } from '@bufbuild/protobuf';
import {
  ClusterSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  RouteConfigurationSchema,
  RouterSchema,
  type Cluster,
  type Listener,
  type RouteConfiguration,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { get, type Agent } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, waitForStatus } from '../../admin/support/http.ts';

const BIN = fileURLToPath(new URL('../../../bin/heddle-proxy.ts', import.meta.url));
export const ROUTE_NAME = '80';
export const STAT_PREFIX = 'inbound_0.0.0.0_80';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

export function staticCluster(name: string, upstreamPort: number): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socket('127.0.0.1', upstreamPort) } } },
          ],
        },
      ],
    },
  });
}

export function httpListener(port: number): Listener {
  return create(ListenerSchema, {
    name: `127.0.0.1_${port}`,
    address: socket('127.0.0.1', port),
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: STAT_PREFIX,
                routeSpecifier: {
                  case: 'rds',
                  value: {
                    routeConfigName: ROUTE_NAME,
                    configSource: { configSourceSpecifier: { case: 'ads', value: {} } },
                  },
                },
                httpFilters: [
                  {
                    name: HTTP_FILTERS.ROUTER,
                    configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
                  },
                ],
              }),
            },
          },
        ],
      },
    ],
  });
}

/** Everything to `cluster`; `badRegex` adds a route whose regex the proxy refuses (RE2 has no lookaround). */
export function routesTo(cluster: string, options: { readonly badRegex?: boolean } = {}): RouteConfiguration {
  const forward = {
    case: 'route' as const,
    value: { clusterSpecifier: { case: 'cluster' as const, value: cluster }, timeout: { seconds: 0n } },
  };
  return create(RouteConfigurationSchema, {
    name: ROUTE_NAME,
    virtualHosts: [
      {
        name: 'app',
        domains: ['*'],
        routes: [
          ...(options.badRegex
            ? [
                {
                  match: { pathSpecifier: { case: 'safeRegex' as const, value: { regex: '/(?=x)' } } },
                  action: forward,
                },
              ]
            : []),
          { match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: forward },
        ],
      },
    ],
  });
}

export interface WorkerProxy {
  readonly proc: ChildProcess;
  readonly adminPort: number;
  readonly healthPort: number;
  /** The merged Prometheus port, when asked for. */
  readonly metricsMergePort?: number;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

export async function startWorkerProxy(
  dir: string,
  adsAddress: string,
  options: { readonly concurrency: number; readonly drainTimeout?: string; readonly metricsMerge?: boolean },
): Promise<WorkerProxy> {
  const [adminPort, healthPort] = [await freePort(), await freePort()];
  const metricsMergePort = options.metricsMerge ? await freePort() : undefined;
  const file = join(dir, `bootstrap-${adminPort}.yaml`);
  await writeFile(
    file,
    [
      'node:',
      '  id: sidecar~127.0.0.1~app.default~default.svc.cluster.local',
      'controlPlane:',
      `  addresses: ["${adsAddress}"]`,
      `admin: {port: ${adminPort}}`,
      `health: {port: ${healthPort}}`,
      `drainTimeout: ${options.drainTimeout ?? '5s'}`,
      ...(metricsMergePort ? [`metricsMerge: {port: ${metricsMergePort}}`] : []),
      '',
    ].join('\n'),
  );
  const proc = spawn(
    process.execPath,
    [BIN, '--bootstrap', file, '--log-level', 'warning', '--concurrency', String(options.concurrency)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await waitForStatus(healthPort, '/healthz/ready', 200, 20_000);
  return {
    proc,
    adminPort,
    healthPort,
    ...(metricsMergePort ? { metricsMergePort } : {}),
    exit,
    stderr: () => stderr,
  };
}

/** Ends the proxy (and so its workers) if a test left it running. */
export function killProxy(proxy: WorkerProxy | undefined): void {
  const proc = proxy?.proc;
  if (proc && proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined)
    process.kill(proc.pid, 'SIGKILL');
}

/** The worker processes: the proxy's children. */
export function workerPids(proxy: WorkerProxy): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(proxy.proc.pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return [];
  }
}

/** `name: value` lines of `/stats`, by name. */
export async function stats(proxy: WorkerProxy, filter?: string): Promise<Map<string, number>> {
  const query = filter === undefined ? '' : `?filter=${encodeURIComponent(filter)}`;
  const reply = await call(proxy.adminPort, `/stats${query}`);
  const values = new Map<string, number>();
  for (const line of reply.body.split('\n')) {
    const match = /^(.+): (-?[\d.]+)$/.exec(line);
    if (match) values.set(match[1] as string, Number(match[2]));
  }
  return values;
}

/** A GET on a connection of its own (closed after the answer), so the kernel picks a worker for each. */
export function freshGet(
  port: number,
  path: string,
  agent: Agent | false = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(
      { host: '127.0.0.1', port, path, agent, headers: { connection: 'close' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
