// The `istio.stats` network filter in front of tcp_proxy, through a real listener on loopback: connections
// opened and closed, bytes both ways (visible while the connection is still open), and the client labels.
import { create } from '@bufbuild/protobuf';
import { FilterSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { typedStruct } from '@heddle/xds';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../../src/listener/listener-manager.ts';
import { renderPrometheus } from '../../../src/stats/prometheus-format.ts';
import { StatsStore } from '../../../src/stats/stats-store.ts';
import { STATS_CONFIG_TYPE_URL } from '../../../src/telemetry/metrics/stats-config.ts';
import { istioTcpSessionHooks } from '../../../src/telemetry/metrics/tcp-metrics.ts';
import { NO_SECRETS } from '../../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, tcpProxy } from '../../listener/helpers/config.ts';
import { FakeHttp } from '../../listener/helpers/fake-http.ts';
import { tcpClusters } from '../../listener/helpers/fakes.ts';
import { connectTcp, echoServer, eventually, readUntil, type Upstream } from '../../listener/helpers/net.ts';

const CLUSTER = 'outbound|5432||db.data.svc.cluster.local';

function metricValue(text: string, family: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('istio.stats network filter', { timeout: 20_000 }, () => {
  let echo: Upstream;
  let manager: ListenerManager;
  const store = new StatsStore();
  let port = 0;

  before(async () => {
    echo = await echoServer();
    manager = new ListenerManager({
      clusters: tcpClusters({ [CLUSTER]: [echo.port] }),
      stats: store,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
      tcpSessions: istioTcpSessionHooks,
    });
    const stats = create(FilterSchema, {
      name: 'istio.stats',
      configType: {
        case: 'typedConfig',
        value: typedStruct(STATS_CONFIG_TYPE_URL, {
          reporter: 'source',
          node: { workload: 'api', namespace: 'shop', app: 'api', version: 'v1' },
        }),
      },
    });
    await apply(manager, [listener({ name: 'db', chains: [chain('db', [stats, tcpProxy(CLUSTER)])] })]);
    port = portOf(manager, 'db');
  });

  after(async () => {
    await manager.close();
    await echo.close();
  });

  it('reports opened connections and bytes while open, and the close at the end', async () => {
    const socket = await connectTcp(port);
    socket.write('hello database');
    await readUntil(socket, (data) => data.length >= 14);
    const labels = {
      reporter: 'source',
      source_workload: 'api',
      source_workload_namespace: 'shop',
      destination_service: 'db.data.svc.cluster.local',
      destination_service_name: 'db',
      destination_service_namespace: 'data',
      request_protocol: 'tcp',
    };
    let text = renderPrometheus(store.snapshot());
    assert.equal(metricValue(text, 'istio_tcp_connections_opened_total', labels), 1, text);
    assert.equal(metricValue(text, 'istio_tcp_received_bytes_total', labels), 14);
    assert.equal(metricValue(text, 'istio_tcp_sent_bytes_total', labels), 14);
    assert.equal(metricValue(text, 'istio_tcp_connections_closed_total', labels), 0);
    assert.doesNotMatch(text, /response_code=/);

    socket.end('!!');
    await eventually(
      () =>
        metricValue(renderPrometheus(store.snapshot()), 'istio_tcp_connections_closed_total', labels) === 1,
    );
    text = renderPrometheus(store.snapshot());
    // Deltas: the bytes reported while open are not counted twice.
    assert.equal(metricValue(text, 'istio_tcp_received_bytes_total', labels), 16);
    assert.equal(metricValue(text, 'istio_tcp_sent_bytes_total', labels), 16);
  });
});
