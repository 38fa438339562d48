// The Heddle proxy as a plain reverse proxy for bench/proxy-compare.ts: a fake ADS server (in this process,
// idle once the config is pushed) serves one listener on a fixed port → HTTP connection manager with an inline
// route configuration (router filter only) → one STATIC or EDS cluster → the upstream. HTTP/1.1 plaintext.
// Prints "READY <port>" once a request has gone through; exits cleanly on SIGTERM/SIGINT, so that
// `node --cpu-prof` writes its profile.
// Run: node bench/heddle-proxy-runner.ts --port 18083 --upstream-port 18080 [--cluster static|eds]
//      [--proxy-module /path/to/a/copy/of/packages/proxy/src/index.ts]
import { create } from '@bufbuild/protobuf';
import * as heddleProxy from '@heddle/proxy';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  LISTENER_TYPE_URL,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
// By file: the testkit index also loads the control plane and the translator.
import { FakeAdsServer } from '../packages/testkit/src/fake-ads-server.ts';
import { benchListener } from './support/listener-variants.ts';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '18083' },
    'upstream-port': { type: 'string', default: '18080' },
    cluster: { type: 'string', default: 'static' },
    // Another copy of the proxy's sources (its src/index.ts), for A/B comparisons of a change.
    'proxy-module': { type: 'string' },
  },
});
const { LogRegistry, parseBootstrap, startProxy } = (
  args['proxy-module'] ? await import(args['proxy-module']) : heddleProxy
) as typeof heddleProxy;
const PORT = Number(args.port);
const UPSTREAM_PORT = Number(args['upstream-port']);
const EDS = args.cluster === 'eds';
const CLUSTER = 'outbound|80||upstream.bench.svc.cluster.local';

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

const endpoints = [
  {
    lbEndpoints: [
      {
        hostIdentifier: { case: 'endpoint' as const, value: { address: socket('127.0.0.1', UPSTREAM_PORT) } },
      },
    ],
  },
];

const ads = await FakeAdsServer.start();
if (EDS) {
  ads.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [
    create(ClusterLoadAssignmentSchema, { clusterName: CLUSTER, endpoints }),
  ]);
}
ads.setResources(CLUSTER_TYPE_URL, [
  create(ClusterSchema, {
    name: CLUSTER,
    connectTimeout: { seconds: 1n },
    ...(EDS
      ? {
          clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
          edsClusterConfig: { edsConfig: { configSourceSpecifier: { case: 'ads', value: {} } } },
        }
      : {
          clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
          loadAssignment: { clusterName: CLUSTER, endpoints },
        }),
  }),
]);
ads.setResources(LISTENER_TYPE_URL, [
  benchListener({ port: PORT, cluster: CLUSTER, connectionManager: { statPrefix: 'bench' } }),
]);

const bootstrap = parseBootstrap({
  node: { id: 'router~127.0.0.1~bench-proxy.bench~bench.svc.cluster.local' },
  controlPlane: { addresses: [ads.address] },
  admin: { port: 0 },
  health: { port: 0 },
  drainTimeout: '1s',
});
const proxy = await startProxy(bootstrap, { logs: new LogRegistry({ write: () => {} }) });
await proxy.ready;

/** One request through the proxy, retried until the listener is bound and the cluster is warm (≤ 10 s). */
async function probe(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: PORT, path: '/probe', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`proxy not answering 200 on port ${PORT} (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
await probe();
process.stdout.write(`READY ${PORT}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  void Promise.allSettled([proxy.close(), ads.close()]).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
