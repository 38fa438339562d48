// The control plane of the proxy benchmark, in its own process so that the measured proxy is the real
// `heddle-proxy` binary and nothing else: fake ADS servers (the testkit's) push one scenario's resources and
// the bootstrap files for the proxies are written to --dir. Prints "READY <json>" with the bootstrap paths
// and ports once serving; stops on SIGTERM/SIGINT.
// Scenarios (every proxy forwards to one STATIC cluster, router filter only, inline routes):
//   plain     a listener on --port, HTTP/1.1 and h2c (codec AUTO) → the upstream;
//   tls       the same listener behind TLS (ALPN h2, http/1.1), certificate from --cert/--key;
//   mtls      two proxies: a client sidecar on --port (plaintext in) → mTLS → a server sidecar on
//             --peer-port (client certificate required, --ca) → the upstream; --cert/--key is the client's
//             identity, --peer-cert/--peer-key the server's.
// Run: node bench/bench-control-plane.ts --scenario plain --port 18083 --upstream-port 18080 --dir /tmp/x
import {
  CLUSTER_TYPE_URL,
  DownstreamTlsContextSchema,
  LISTENER_TYPE_URL,
  packAny,
  TRANSPORT_SOCKETS,
  UpstreamTlsContextSchema,
} from '@heddle/xds';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// By file: the testkit index also loads the control plane and the translator.
import { FakeAdsServer } from '../packages/testkit/src/fake-ads-server.ts';
import { benchListener, staticCluster } from './support/listener-variants.ts';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'plain' },
    port: { type: 'string', default: '18083' },
    'peer-port': { type: 'string', default: '18084' },
    'upstream-port': { type: 'string', default: '18080' },
    dir: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'peer-cert': { type: 'string' },
    'peer-key': { type: 'string' },
    ca: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
  },
});
if (!args.dir) throw new Error('--dir is required');
const DIR = args.dir;
const PORT = Number(args.port);
const PEER_PORT = Number(args['peer-port']);
const UPSTREAM_PORT = Number(args['upstream-port']);
const read = (path: string | undefined, what: string): string => {
  if (!path) throw new Error(`--${what} is required for scenario ${args.scenario}`);
  return readFileSync(path, 'utf8');
};
const inline = (text: string) => ({ specifier: { case: 'inlineString' as const, value: text } });

function forwardingListener(
  port: number,
  cluster: string,
  tls?: { cert: string; key: string; ca?: string },
): Listener {
  return benchListener({
    port,
    cluster,
    connectionManager: { statPrefix: 'bench' },
    filterChain: tls
      ? {
          transportSocket: {
            name: TRANSPORT_SOCKETS.TLS,
            configType: {
              case: 'typedConfig',
              value: packAny(DownstreamTlsContextSchema, {
                ...(tls.ca ? { requireClientCertificate: true } : {}),
                commonTlsContext: {
                  alpnProtocols: ['h2', 'http/1.1'],
                  tlsCertificates: [{ certificateChain: inline(tls.cert), privateKey: inline(tls.key) }],
                  ...(tls.ca
                    ? {
                        validationContextType: {
                          case: 'validationContext' as const,
                          value: { trustedCa: inline(tls.ca) },
                        },
                      }
                    : {}),
                },
              }),
            },
          },
        }
      : {},
  });
}

interface ProxySpec {
  readonly name: string;
  readonly listeners: Listener[];
  readonly clusters: Cluster[];
}

const UPSTREAM = 'outbound|80||upstream.bench.svc.cluster.local';
const INBOUND = 'inbound|80||';
let proxies: ProxySpec[];
switch (args.scenario) {
  case 'plain':
    proxies = [
      {
        name: 'proxy',
        listeners: [forwardingListener(PORT, UPSTREAM)],
        clusters: [staticCluster(UPSTREAM, UPSTREAM_PORT)],
      },
    ];
    break;
  case 'tls':
    proxies = [
      {
        name: 'proxy',
        listeners: [
          forwardingListener(PORT, UPSTREAM, { cert: read(args.cert, 'cert'), key: read(args.key, 'key') }),
        ],
        clusters: [staticCluster(UPSTREAM, UPSTREAM_PORT)],
      },
    ];
    break;
  case 'mtls': {
    const ca = read(args.ca, 'ca');
    const clientTls = {
      name: TRANSPORT_SOCKETS.TLS,
      configType: {
        case: 'typedConfig' as const,
        value: packAny(UpstreamTlsContextSchema, {
          sni: 'server.bench.svc.cluster.local',
          commonTlsContext: {
            alpnProtocols: ['http/1.1'],
            tlsCertificates: [
              {
                certificateChain: inline(read(args.cert, 'cert')),
                privateKey: inline(read(args.key, 'key')),
              },
            ],
            validationContextType: { case: 'validationContext' as const, value: { trustedCa: inline(ca) } },
          },
        }),
      },
    };
    proxies = [
      {
        name: 'client',
        listeners: [forwardingListener(PORT, UPSTREAM)],
        clusters: [staticCluster(UPSTREAM, PEER_PORT, clientTls)],
      },
      {
        name: 'server',
        listeners: [
          forwardingListener(PEER_PORT, INBOUND, {
            cert: read(args['peer-cert'], 'peer-cert'),
            key: read(args['peer-key'], 'peer-key'),
            ca,
          }),
        ],
        clusters: [staticCluster(INBOUND, UPSTREAM_PORT)],
      },
    ];
    break;
  }
  default:
    throw new Error(`unknown scenario ${args.scenario} (plain, tls, mtls)`);
}

const servers: FakeAdsServer[] = [];
const bootstraps: Record<string, string> = {};
for (const proxy of proxies) {
  const ads = await FakeAdsServer.start();
  servers.push(ads);
  ads.setResources(CLUSTER_TYPE_URL, proxy.clusters);
  ads.setResources(LISTENER_TYPE_URL, proxy.listeners);
  const file = join(DIR, `${proxy.name}.bootstrap.json`);
  writeFileSync(
    file,
    JSON.stringify({
      node: { id: `sidecar~127.0.0.1~${proxy.name}.bench~bench.svc.cluster.local` },
      controlPlane: { addresses: [ads.address] },
      admin: { port: 0 },
      health: { port: 0 },
      drainTimeout: '1s',
      concurrency: Number(args.concurrency),
    }),
  );
  bootstraps[proxy.name] = file;
}
process.stdout.write(`READY ${JSON.stringify(bootstraps)}\n`);

const stop = (): void => {
  void Promise.allSettled(servers.map((s) => s.close())).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
