// What the overhead benches (access logs and tracing, Istio metrics) share: one proxy fed by a fake ADS server
// serves several listeners that differ only in their HTTP filters or connection-manager fields; each variant
// gets the same keep-alive HTTP/1.1 load, interleaved over rounds, and CPU per request is compared with the
// first variant's.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { createServer, type AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { LogRegistry, parseBootstrap, startProxy, type Proxy } from '@heddle/proxy';
import {
  ClusterSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  RouterSchema,
  type Cluster,
  type Listener,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { Agent, request } from 'undici';

type ConnectionManagerInit = MessageInitShape<typeof HttpConnectionManagerSchema>;
type HttpFilterInit = NonNullable<ConnectionManagerInit['httpFilters']>[number];

/** A port free now on 127.0.0.1, for a listener the proxy binds next. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const ROUTER_FILTER: HttpFilterInit = {
  name: HTTP_FILTERS.ROUTER,
  configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
};

/** A STATIC cluster of one endpoint on 127.0.0.1, plaintext unless a transport socket is given. */
export function staticCluster(
  name: string,
  port: number,
  transportSocket?: MessageInitShape<typeof ClusterSchema>['transportSocket'],
): Cluster {
  return create(ClusterSchema, {
    name,
    connectTimeout: { seconds: 1n },
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            {
              hostIdentifier: {
                case: 'endpoint',
                value: {
                  address: {
                    address: {
                      case: 'socketAddress',
                      value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } },
                    },
                  },
                },
              },
            },
          ],
        },
      ],
    },
    ...(transportSocket ? { transportSocket } : {}),
  });
}

export interface BenchListenerSpec {
  readonly port: number;
  /** Where every request goes. */
  readonly cluster: string;
  /** The HTTP filters, the router last; the router alone when absent. */
  readonly filters?: readonly HttpFilterInit[];
  /** Other connection-manager fields (access logs, tracing, statPrefix). */
  readonly connectionManager?: Record<string, unknown>;
  /** Other filter-chain fields (a transport socket). */
  readonly filterChain?: Record<string, unknown>;
}

/** A listener on 127.0.0.1 whose one connection manager routes everything to one cluster. */
export function benchListener(spec: BenchListenerSpec): Listener {
  const { port, cluster, filters = [ROUTER_FILTER], connectionManager = {}, filterChain = {} } = spec;
  return create(ListenerSchema, {
    name: `127.0.0.1_${port}`,
    address: {
      address: {
        case: 'socketAddress',
        value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } },
      },
    },
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: 'outbound_bench',
                routeSpecifier: {
                  case: 'routeConfig',
                  value: {
                    name: 'bench',
                    virtualHosts: [
                      {
                        name: 'all',
                        domains: ['*'],
                        routes: [
                          {
                            match: { pathSpecifier: { case: 'prefix', value: '/' } },
                            action: {
                              case: 'route',
                              value: { clusterSpecifier: { case: 'cluster', value: cluster } },
                            },
                          },
                        ],
                      },
                    ],
                  },
                },
                httpFilters: [...filters],
                ...connectionManager,
              }),
            },
          },
        ],
        ...filterChain,
      },
    ],
  });
}

/** The proxy under test, in this process, with its logs discarded. */
export async function startBenchProxy(adsAddress: string): Promise<Proxy> {
  const proxy = await startProxy(
    parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~bench.bench~bench.svc.cluster.local' },
      controlPlane: { addresses: [adsAddress] },
      admin: { port: 0 },
      health: { port: 0 },
      drainTimeout: '1s',
    }),
    { logs: new LogRegistry({ write: () => {} }) },
  );
  await proxy.ready;
  return proxy;
}

export interface LoadVariant {
  readonly name: string;
  readonly port: number;
  /** Headers of request number `n`; none when absent. */
  readonly headers?: (n: number) => Record<string, string>;
}

export interface VariantResult {
  readonly seconds: number;
  readonly cpuMicros: number;
  readonly requests: number;
}

export interface VariantRun {
  readonly requests: number;
  readonly rounds: number;
  readonly concurrency: number;
}

/** `--requests 20000 --rounds 3 --concurrency 16` from the command line, with those defaults. */
export function parseVariantRun(): VariantRun {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  return {
    requests: Number(values.requests),
    rounds: Number(values.rounds),
    concurrency: Number(values.concurrency),
  };
}

/** Waits until every variant's listener answers, then loads each `requests` times per round, interleaved. */
export async function measureVariants(
  variants: readonly LoadVariant[],
  run: VariantRun,
): Promise<Map<string, VariantResult>> {
  const agent = new Agent({ connections: run.concurrency, pipelining: 1 });
  const load = async (variant: LoadVariant, count: number): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const n = next++;
        const res = await request(`http://127.0.0.1:${variant.port}/bench`, {
          dispatcher: agent,
          headers: variant.headers?.(n) ?? {},
        });
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode} on port ${variant.port}`);
        await res.body.text();
      }
    };
    await Promise.all(Array.from({ length: run.concurrency }, worker));
  };
  try {
    for (const variant of variants) {
      for (let attempt = 0; ; attempt++) {
        try {
          await load(variant, 200);
          break;
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    const results = new Map<string, VariantResult>();
    for (let round = 0; round < run.rounds; round++) {
      for (const variant of variants) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await load(variant, run.requests);
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const total = results.get(variant.name) ?? { seconds: 0, cpuMicros: 0, requests: 0 };
        results.set(variant.name, {
          seconds: total.seconds + seconds,
          cpuMicros: total.cpuMicros + used.user + used.system,
          requests: total.requests + run.requests,
        });
      }
    }
    return results;
  } finally {
    await agent.close();
  }
}

/** One line per variant: requests/s, CPU µs per request, and the change against the first variant. */
export function printVariantResults(
  variants: readonly LoadVariant[],
  results: ReadonlyMap<string, VariantResult>,
  run: VariantRun,
): void {
  const width = Math.max(22, ...variants.map((variant) => variant.name.length));
  console.log(
    `${run.requests} requests × ${run.rounds} rounds per variant, concurrency ${run.concurrency}, node ${process.version}`,
  );
  console.log(`${'variant'.padEnd(width)}    req/s   CPU µs/req   vs ${variants[0]?.name ?? ''}`);
  const first = variants[0] && results.get(variants[0].name);
  for (const variant of variants) {
    const result = results.get(variant.name);
    if (!result || !first) continue;
    const perRequest = result.cpuMicros / result.requests;
    const base = first.cpuMicros / first.requests;
    const delta = `${perRequest >= base ? '+' : ''}${(((perRequest - base) / base) * 100).toFixed(1)}%`;
    console.log(
      `${variant.name.padEnd(width)} ${(result.requests / result.seconds).toFixed(0).padStart(8)} ${perRequest.toFixed(1).padStart(12)} ${delta.padStart(9)}`,
    );
  }
}
