// Access logs of the HTTP connection manager, end to end on loopback: Envoy's default format, the custom
// format from the seeds, Istio's JSON fields, a CEL filter that keeps only errors, file and stdout sinks,
// and precise refusals of formats and expressions the proxy cannot run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { packAny } from '@heddle/xds';
import type { AccessLogSchema } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { ExpressionFilterSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/filters/cel/v3/cel_pb.ts';
import { FileAccessLogSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { request } from 'undici';
import { createHttpConnectionManager } from '../../../src/http/connection-manager.ts';
import { RouteTables } from '../../../src/http/route-tables.ts';
import { LogSink, LogSinks } from '../../../src/telemetry/access-log/log-sink.ts';
import { ProxyObservability } from '../../../src/telemetry/tracing/proxy-observability.ts';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from '../../http/helpers/harness.ts';
import { MemoryStats } from '../../http/helpers/memory-stats.ts';
import { TestClusters } from '../../http/helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from '../../http/helpers/upstreams.ts';

type AccessLogInit = MessageInitShape<typeof AccessLogSchema>;
type FileInit = MessageInitShape<typeof FileAccessLogSchema>;

/** The seed's custom format (seed 002, meshConfig accessLogFormat). */
const SEED_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"\n' +
  '%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT%\n' +
  '"%DURATION%" "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%"\n';

function fileLog(file: FileInit, filter?: string): AccessLogInit {
  return {
    name: 'envoy.access_loggers.file',
    ...(filter !== undefined
      ? {
          filter: {
            filterSpecifier: {
              case: 'extensionFilter',
              value: {
                name: 'envoy.access_loggers.extension_filters.cel',
                configType: {
                  case: 'typedConfig',
                  value: packAny(ExpressionFilterSchema, { expression: filter }),
                },
              },
            },
          },
        }
      : {}),
    configType: { case: 'typedConfig', value: packAny(FileAccessLogSchema, file) },
  };
}

const text = (format: string): FileInit['accessLogFormat'] => ({
  case: 'logFormat',
  value: {
    format: { case: 'textFormatSource', value: { specifier: { case: 'inlineString', value: format } } },
  },
});

/** Sinks that write into memory, standing in for /dev/stdout. */
function memorySinks(): { sinks: LogSinks; output: (path: string) => string } {
  const streams = new Map<string, string[]>();
  const sinks = new LogSinks((path) => {
    const out = new PassThrough();
    const chunks: string[] = [];
    streams.set(path, chunks);
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return new LogSink(path, out);
  });
  return { sinks, output: (path) => (streams.get(path) ?? []).join('') };
}

describe('access logs', { timeout: 30_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let dir: string;
  const proxies: ProxyHarness[] = [];
  const outputs: ProxyObservability[] = [];

  before(async () => {
    upstream = await startHttp1Upstream('app');
    upstream.handler = (req, res) => {
      const status = Number(/status=(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('hello');
    };
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    dir = mkdtempSync(join(tmpdir(), 'heddle-access-log-'));
  });

  after(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const output of outputs) await output.close();
    await clusters?.close();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function proxyWith(accessLog: AccessLogInit[], sinks?: LogSinks) {
    const observability = new ProxyObservability({
      clusters,
      stats: new MemoryStats(),
      identity: {
        nodeId: 'sidecar~127.0.0.1~test.default~default.svc.cluster.local',
        serviceName: 'test.default',
      },
      ...(sinks ? { sinks } : {}),
    });
    outputs.push(observability);
    const route = {
      name: 'app-route',
      match: { pathSpecifier: { case: 'prefix' as const, value: '/' } },
      action: {
        case: 'route' as const,
        value: { clusterSpecifier: { case: 'cluster' as const, value: 'app' } },
      },
    };
    const proxy = await startProxy(hcmConfig(routeConfig([route]), { accessLog }), clusters, {
      observability,
    });
    proxies.push(proxy);
    return { proxy, observability };
  }

  async function get(proxy: ProxyHarness, path: string, headers: Record<string, string> = {}) {
    const done = proxy.nextStream();
    const res = await request(`${proxy.url}${path}`, { headers: { 'user-agent': 'test-agent', ...headers } });
    await res.body.text();
    await done;
    return res.statusCode;
  }

  it("writes Envoy's default format when the logger names none", async () => {
    const { sinks, output } = memorySinks();
    const { proxy, observability } = await proxyWith([fileLog({ path: '/dev/stdout' })], sinks);
    await get(proxy, '/hello?x=1', { 'x-request-id': 'req-1' });
    await observability.flush();
    const line = output('/dev/stdout');
    assert.match(
      line,
      new RegExp(
        String.raw`^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "GET /hello\?x=1 HTTP/1\.1" 200 - 0 5 \d+ \d+ "-" "test-agent" "req-1" "127\.0\.0\.1:\d+" "127\.0\.0\.1:${upstream.port}"\n$`,
      ),
    );
  });

  it("renders the seeds' custom format to a file, one entry per request", async () => {
    const path = join(dir, 'seed.log');
    const { proxy, observability } = await proxyWith([fileLog({ path, accessLogFormat: text(SEED_FORMAT) })]);
    await get(proxy, '/a');
    await get(proxy, '/b?status=404');
    await observability.flush();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.match(lines[0] ?? '', /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] "GET \/a HTTP\/1\.1"$/);
    assert.equal(lines[1], '200 - 0 5');
    assert.match(lines[2] ?? '', /^"\d+" "\d+"$/);
    assert.match(lines[3] ?? '', /"GET \/b\?status=404 HTTP\/1\.1"/);
    assert.equal(lines[4], '404 - 0 5');
  });

  it('writes JSON lines whose single-operator values keep their types', async () => {
    const { sinks, output } = memorySinks();
    const { proxy, observability } = await proxyWith(
      [
        fileLog({
          path: '/dev/stdout',
          accessLogFormat: {
            case: 'logFormat',
            value: {
              format: {
                case: 'jsonFormat',
                value: {
                  code: '%RESPONSE_CODE%',
                  method: '%REQ(:METHOD)%',
                  route: '%ROUTE_NAME%',
                  cluster: '%UPSTREAM_CLUSTER%',
                  agent: '%REQ(USER-AGENT):4%',
                  missing: '%REQ(X-MISSING)%',
                  when: '%START_TIME(%Y/%m/%d %s.%3f)%',
                  state: '%FILTER_STATE(some.key)%',
                  mixed: '%PROTOCOL% via %UPSTREAM_HOST%',
                },
              },
            },
          },
        }),
      ],
      sinks,
    );
    await get(proxy, '/json');
    await observability.flush();
    const entry = JSON.parse(output('/dev/stdout')) as Record<string, unknown>;
    assert.equal(entry.code, 200);
    assert.equal(entry.method, 'GET');
    assert.equal(entry.route, 'app-route');
    assert.equal(entry.cluster, 'app');
    assert.equal(entry.agent, 'test');
    assert.equal(entry.missing, null);
    assert.equal(entry.state, null);
    assert.match(String(entry.when), /^\d{4}\/\d\d\/\d\d \d{10}\.\d{3}$/);
    assert.equal(entry.mixed, `HTTP/1.1 via 127.0.0.1:${upstream.port}`);
  });

  it('logs only what the CEL filter selects (errors only, as in the seeds)', async () => {
    const { sinks, output } = memorySinks();
    const { proxy, observability } = await proxyWith(
      [
        fileLog(
          { path: '/dev/stdout', accessLogFormat: text('%RESPONSE_CODE% %REQ(:PATH)%\n') },
          'response.code >= 400',
        ),
      ],
      sinks,
    );
    for (const path of ['/ok', '/bad?status=503', '/fine', '/missing?status=404']) await get(proxy, path);
    await observability.flush();
    assert.equal(output('/dev/stdout'), '503 /bad?status=503\n404 /missing?status=404\n');
  });

  it('evaluates header and method attributes, and a failing lookup does not log', async () => {
    const { sinks, output } = memorySinks();
    const { proxy, observability } = await proxyWith(
      [
        fileLog(
          { path: '/dev/stdout', accessLogFormat: text('%REQ(X-USER)%\n') },
          'request.headers["x-user"] == "bob" && request.method == "GET" && !connection.mtls',
        ),
      ],
      sinks,
    );
    await get(proxy, '/', { 'x-user': 'bob' });
    await get(proxy, '/', { 'x-user': 'alice' });
    await get(proxy, '/');
    await observability.flush();
    assert.equal(output('/dev/stdout'), 'bob\n');
  });

  it('writes to the real standard output through the /dev/stdout sink', async () => {
    const sink = new LogSink('/dev/stdout');
    const original = process.stdout.write.bind(process.stdout);
    const captured: string[] = [];
    process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (String(chunk).startsWith('heddle-access-log-test')) {
        captured.push(String(chunk));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return original(chunk, ...(rest as []));
    };
    try {
      sink.write('heddle-access-log-test one\n');
      sink.write('heddle-access-log-test two\n');
      assert.deepEqual(captured, [], 'written asynchronously, never on the request path');
      await sink.flush();
    } finally {
      process.stdout.write = original;
    }
    assert.deepEqual(captured, ['heddle-access-log-test one\nheddle-access-log-test two\n']);
  });

  it('refuses bad formats, unknown operators, bad CEL and other loggers with a precise error', () => {
    const deps = { routes: new RouteTables(), clusters, stats: new MemoryStats() };
    const route = routeConfig([]);
    const refused = (accessLog: AccessLogInit[]): string => {
      const result = createHttpConnectionManager(hcmConfig(route, { accessLog }), deps);
      assert.ok('error' in result, 'expected a refusal');
      return result.error;
    };
    assert.match(
      refused([fileLog({ path: '/dev/stdout', accessLogFormat: text('%RESPONSE_CODE') })]),
      /access_log\[0\] \(envoy\.access_loggers\.file\): a "%" at offset 0 does not start a command operator/,
    );
    assert.match(
      refused([fileLog({ path: '/dev/stdout', accessLogFormat: text('%NOT_AN_OPERATOR%') })]),
      /unsupported command operator %NOT_AN_OPERATOR%/,
    );
    assert.match(
      refused([fileLog({ path: '/dev/stdout', accessLogFormat: text('%START_TIME(%Q)%') })]),
      /unknown specifier "%Q"/,
    );
    assert.match(
      refused([fileLog({ path: '/dev/stdout' }, 'response.code >=')]),
      /CEL expression "response\.code >=": /,
    );
    assert.match(
      refused([
        {
          name: 'envoy.access_loggers.stream',
          configType: { case: 'typedConfig', value: packAny(ExpressionFilterSchema, {}) },
        },
      ]),
      /only envoy\.access_loggers\.file \(FileAccessLog\) is supported/,
    );
  });
});
