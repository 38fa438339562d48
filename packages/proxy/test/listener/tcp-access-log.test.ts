// tcp_proxy's access_log over loopback: one line per session when it ends, in the same TEXT and JSON formats as
// the HTTP connection manager, with TCP's values (bytes, duration, upstream host and cluster, response flags)
// and HTTP's operators unavailable; a CEL filter that keeps failed sessions only; the metrics hooks still run;
// a logger the proxy cannot run refuses the listener update.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { packAny } from '@heddle/xds';
import type { AccessLogSchema } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { ExpressionFilterSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/filters/cel/v3/cel_pb.ts';
import { FileAccessLogSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import type { TcpSessionInfo } from '../../src/filters/network/tcp-proxy/index.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { LogSink, LogSinks } from '../../src/telemetry/access-log/log-sink.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, prepareError, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, eventually, readUntil, type Upstream } from './helpers/net.ts';

type AccessLogInit = MessageInitShape<typeof AccessLogSchema>;

const TEXT_FORMAT =
  '"%REQ(:METHOD)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% ' +
  '%DURATION% %UPSTREAM_HOST% %UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% %UPSTREAM_REQUEST_ATTEMPT_COUNT%\n';

function fileLog(path: string, format: 'text' | 'json', expression?: string): AccessLogInit {
  return {
    name: 'envoy.access_loggers.file',
    ...(expression !== undefined
      ? {
          filter: {
            filterSpecifier: {
              case: 'extensionFilter',
              value: {
                name: 'envoy.access_loggers.extension_filters.cel',
                configType: { case: 'typedConfig', value: packAny(ExpressionFilterSchema, { expression }) },
              },
            },
          },
        }
      : {}),
    configType: {
      case: 'typedConfig',
      value: packAny(FileAccessLogSchema, {
        path,
        accessLogFormat: {
          case: 'logFormat',
          value: {
            format:
              format === 'text'
                ? {
                    case: 'textFormatSource',
                    value: { specifier: { case: 'inlineString', value: TEXT_FORMAT } },
                  }
                : {
                    case: 'jsonFormat',
                    value: {
                      protocol: '%PROTOCOL%',
                      code: '%RESPONSE_CODE%',
                      flags: '%RESPONSE_FLAGS%',
                      received: '%BYTES_RECEIVED%',
                      sent: '%BYTES_SENT%',
                      upstream: '%UPSTREAM_HOST%',
                      authority: '%REQ(:AUTHORITY)%',
                    },
                  },
          },
        },
      }),
    },
  };
}

/** Sinks that keep each path's lines in memory. */
function memorySinks(): { sinks: LogSinks; lines: (path: string) => string[] } {
  const written = new Map<string, string[]>();
  const sinks = new LogSinks((path) => {
    const out = new PassThrough();
    const chunks: string[] = [];
    written.set(path, chunks);
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return new LogSink(path, out);
  });
  return {
    sinks,
    lines: (path) =>
      (written.get(path) ?? [])
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
  };
}

describe('tcp_proxy access logs', { timeout: 30_000 }, () => {
  let echo: Upstream;
  let manager: ListenerManager;
  let logs: ReturnType<typeof memorySinks>;
  const completed: TcpSessionInfo[] = [];
  const port: Record<string, number> = {};

  before(async () => {
    echo = await echoServer();
    logs = memorySinks();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats: new MemoryStats(),
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
      tcpSessions: { onSessionComplete: (info) => completed.push(info) },
      accessLogSinks: logs.sinks,
    });
    const logged = (name: string, cluster: string, accessLog: AccessLogInit[]): ReturnType<typeof listener> =>
      listener({ name, chains: [chain(name, [tcpProxy(cluster, { statPrefix: name, accessLog })])] });
    await apply(manager, [
      logged('text', 'echo', [fileLog('text.log', 'text')]),
      logged('json', 'echo', [fileLog('json.log', 'json')]),
      logged('missing', 'no-such-cluster', [fileLog('text.log', 'text')]),
      logged('failures', 'echo', [fileLog('failures.log', 'text', 'response.flags != 0')]),
      logged('failures-missing', 'no-such-cluster', [fileLog('failures.log', 'text', 'response.flags != 0')]),
    ]);
    for (const name of ['text', 'json', 'missing', 'failures', 'failures-missing'])
      port[name] = portOf(manager, name);
  });

  after(async () => {
    await manager.close();
    await logs.sinks.flush();
    await echo.close();
  });

  async function echoSession(name: string, payload: string): Promise<void> {
    const socket = await connectTcp(port[name] ?? 0);
    const local = socket.localPort;
    socket.write(payload);
    await readUntil(socket, (received) => received === payload);
    socket.end();
    await closed(socket);
    await eventually(() => completed.some((info) => info.downstream.remotePort === local));
  }

  it('writes one TEXT line per session with the TCP values and HTTP operators unavailable', async () => {
    await echoSession('text', 'hello');
    await eventually(() => logs.lines('text.log').length === 1);
    const match = /^"- -" 0 - 5 5 (\d+) 127\.0\.0\.1:(\d+) echo 127\.0\.0\.1:(\d+) 1$/.exec(
      logs.lines('text.log')[0] ?? '',
    );
    assert.ok(match, `unexpected line: ${logs.lines('text.log')[0]}`);
    assert.equal(Number(match[2]), echo.port);
    assert.ok(Number(match[1]) >= 0);
  });

  it('writes JSON with numbers as numbers and unavailable values as null', async () => {
    await echoSession('json', 'abc');
    await eventually(() => logs.lines('json.log').length === 1);
    assert.deepEqual(JSON.parse(logs.lines('json.log')[0] ?? '{}'), {
      protocol: null,
      code: 0,
      flags: '-',
      received: 3,
      sent: 3,
      upstream: `127.0.0.1:${echo.port}`,
      authority: null,
    });
  });

  it('logs a refused session with its response flag and no upstream host', async () => {
    const before = logs.lines('text.log').length;
    const socket = await connectTcp(port['missing'] ?? 0);
    await closed(socket);
    await eventually(() => logs.lines('text.log').length === before + 1);
    assert.match(
      logs.lines('text.log').at(-1) ?? '',
      /^"- -" 0 NC 0 0 \d+ - no-such-cluster 127\.0\.0\.1:\d+ 0$/,
    );
  });

  it('keeps only the sessions the CEL filter accepts', async () => {
    await echoSession('failures', 'fine');
    const socket = await connectTcp(port['failures-missing'] ?? 0);
    await closed(socket);
    await eventually(() => logs.lines('failures.log').length === 1);
    // The successful session ended first; only the refused one is in the file.
    assert.match(logs.lines('failures.log')[0] ?? '', / NC .* no-such-cluster /);
  });

  it('refuses a listener whose access log the proxy cannot run, naming the entry', () => {
    const bad: AccessLogInit = {
      name: 'envoy.access_loggers.file',
      configType: {
        case: 'typedConfig',
        value: packAny(FileAccessLogSchema, {
          path: 'bad.log',
          accessLogFormat: {
            case: 'logFormat',
            value: { format: { case: 'textFormat', value: '%NO_SUCH_OPERATOR%\n' } },
          },
        }),
      },
    };
    const error = prepareError(manager, [
      listener({
        name: 'bad',
        chains: [chain('bad', [tcpProxy('echo', { statPrefix: 'bad', accessLog: [bad] })])],
      }),
    ]);
    assert.match(error, /access_log\[0\]/);
    assert.match(error, /NO_SUCH_OPERATOR/);
  });
});
