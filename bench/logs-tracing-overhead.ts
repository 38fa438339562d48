// Access-log and tracing overhead of the Heddle proxy. One proxy (fed by a fake ADS server) serves five
// listeners that differ only in telemetry: none, an access log in Istio's TEXT format, the same in Istio's
// JSON fields, tracing at 100% to a Zipkin receiver, and access log plus tracing. A node:http upstream and
// the receiver run in this process. Each variant gets the same number of HTTP/1.1 requests (undici,
// keep-alive, fixed concurrency), the variants interleaved over several rounds; reported: requests/s and
// CPU per request of this whole process (client and upstream included, so differences are what matters).
// Run: node bench/logs-tracing-overhead.ts [--requests 20000] [--rounds 3] [--concurrency 16]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, packAny } from '@heddle/xds';
import { FileAccessLogSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfigSchema,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';
// By file: the testkit index also loads the control plane and the translator.
import { FakeAdsServer } from '../packages/testkit/src/fake-ads-server.ts';
import {
  ISTIO_JSON_LOG_FORMAT,
  ISTIO_TEXT_LOG_FORMAT,
} from '../packages/translate/src/telemetry/logs-and-tracing/istio-log-formats.ts';
import {
  benchListener,
  freePort,
  measureVariants,
  parseVariantRun,
  printVariantResults,
  staticCluster,
  startBenchProxy,
} from './support/listener-variants.ts';

const run = parseVariantRun();

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const upstream = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
let spansReceived = 0;
const zipkin = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    spansReceived += (JSON.parse(Buffer.concat(chunks).toString()) as unknown[]).length;
    res.writeHead(202);
    res.end();
  });
});
const upstreamPort = await listen(upstream);
const zipkinPort = await listen(zipkin);
const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-logs-'));

const fileLog = (path: string, json: boolean) => ({
  name: 'envoy.access_loggers.file',
  configType: {
    case: 'typedConfig' as const,
    value: packAny(FileAccessLogSchema, {
      path,
      accessLogFormat: {
        case: 'logFormat',
        value: json
          ? { format: { case: 'jsonFormat', value: { ...ISTIO_JSON_LOG_FORMAT } } }
          : {
              format: {
                case: 'textFormatSource',
                value: { specifier: { case: 'inlineString', value: ISTIO_TEXT_LOG_FORMAT } },
              },
            },
      },
    }),
  },
});

const tracing = {
  randomSampling: { value: 100 },
  provider: {
    name: 'envoy.tracers.zipkin',
    configType: {
      case: 'typedConfig' as const,
      value: packAny(ZipkinConfigSchema, {
        collectorCluster: 'zipkin',
        collectorEndpoint: '/api/v2/spans',
        collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.HTTP_JSON,
        traceId128bit: true,
      }),
    },
  },
};

interface Variant {
  readonly name: string;
  readonly port: number;
  readonly hcm: Record<string, unknown>;
}

const variants: Variant[] = [
  { name: 'no telemetry', port: await freePort(), hcm: {} },
  {
    name: 'access log (TEXT)',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'text.log'), false)] },
  },
  {
    name: 'access log (JSON)',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'json.log'), true)] },
  },
  { name: 'tracing 100%', port: await freePort(), hcm: { tracing } },
  {
    name: 'access log + tracing',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'both.log'), false)], tracing },
  },
];

const ads = await FakeAdsServer.start();
ads.setResources(CLUSTER_TYPE_URL, [staticCluster('app', upstreamPort), staticCluster('zipkin', zipkinPort)]);
ads.setResources(
  LISTENER_TYPE_URL,
  variants.map((variant) =>
    benchListener({ port: variant.port, cluster: 'app', connectionManager: variant.hcm }),
  ),
);

const proxy = await startBenchProxy(ads.address);
const results = await measureVariants(variants, run);
printVariantResults(variants, results, run);
console.log(
  `access log bytes written (TEXT): ${statSync(join(dir, 'text.log')).size}; spans received: ${spansReceived}`,
);

await proxy.close();
await ads.close();
upstream.close();
zipkin.close();
rmSync(dir, { recursive: true, force: true });
