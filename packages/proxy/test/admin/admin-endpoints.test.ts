// The admin API over loopback: config_dump, clusters, listeners, stats (text and Prometheus), readiness,
// server_info, logging, and the method and origin checks that keep mutating endpoints POST-only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import { LogRegistry } from '../../src/admin/logger.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { runProxy, type Proxy } from '../../src/config/proxy-runtime.ts';
import { assertValidExposition } from '../stats/support/prometheus-lines.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { edsCluster, endpoints, rdsListener, routeConfig } from '../xds/support/resources.ts';
import { fakeParts, type FakeParts } from './support/fake-parts.ts';
import { call } from './support/http.ts';

type Json = Record<string, unknown>;

describe('admin API', { timeout: 20_000 }, () => {
  let server: FakeAdsServer;
  let proxy: Proxy;
  let parts: FakeParts;

  before(async () => {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [edsCluster('outbound|9080||reviews.default.svc.cluster.local')]);
    server.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [
      endpoints('outbound|9080||reviews.default.svc.cluster.local'),
    ]);
    server.setResources(LISTENER_TYPE_URL, [rdsListener('0.0.0.0_9080', '9080')]);
    server.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routeConfig('9080')]);
    server.hold(CLUSTER_TYPE_URL);
    parts = fakeParts();
    parts.recording.cds.reject = (name) =>
      name === 'broken' ? `Cluster "broken": no load assignment` : undefined;
    const bootstrap = parseBootstrap({
      node: {
        id: 'sidecar~127.0.0.1~product.default~default.svc.cluster.local',
        metadata: { NAMESPACE: 'default' },
      },
      controlPlane: { addresses: [server.address] },
      admin: { port: 0 },
      health: { port: 0 },
    });
    proxy = await runProxy(bootstrap, () => parts, { logs: new LogRegistry({ write: () => {} }) });
  });

  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('is PRE_INITIALIZING (503) until the first config is in force, then LIVE', async () => {
    const before = await call(proxy.adminPort, '/ready');
    assert.equal(before.status, 503);
    assert.equal(before.body, 'PRE_INITIALIZING\n');
    assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 503);
    server.release(CLUSTER_TYPE_URL);
    await proxy.ready;
    const after = await call(proxy.adminPort, '/ready');
    assert.equal(after.status, 200);
    assert.equal(after.body, 'LIVE\n');
    assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 200);
  });

  it('dumps the bootstrap and the accepted resources as Envoy ConfigDump JSON', async () => {
    const reply = await call(proxy.adminPort, '/config_dump');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /application\/json/);
    const dump = JSON.parse(reply.body) as { configs: Json[] };
    assert.deepEqual(
      dump.configs.map((config) => config['@type']),
      [
        'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump',
        'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
        'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        'type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump',
        'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
        'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
      ],
    );
    const [bootstrap, clusters, listeners, , routes] = dump.configs as [Json, Json, Json, Json, Json];
    const envoyBootstrap = bootstrap.bootstrap as Json;
    assert.equal(
      (envoyBootstrap.node as Json).id,
      'sidecar~127.0.0.1~product.default~default.svc.cluster.local',
    );
    assert.equal(((envoyBootstrap.static_resources as Json).clusters as Json[])[0]?.name, 'xds-grpc');
    assert.equal(clusters.version_info, '1');
    const active = clusters.dynamic_active_clusters as Json[];
    assert.equal((active[0]?.cluster as Json).name, 'outbound|9080||reviews.default.svc.cluster.local');
    assert.equal(
      (active[0]?.cluster as Json)['@type'],
      'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    );
    assert.equal(active[0]?.client_status, 'ACKED');
    assert.match(String(active[0]?.last_updated), /^\d{4}-\d\d-\d\dT/);
    const listener = (listeners.dynamic_listeners as Json[])[0] as Json;
    assert.equal(listener.name, '0.0.0.0_9080');
    assert.equal(((listener.active_state as Json).listener as Json).name, '0.0.0.0_9080');
    assert.equal((((routes.dynamic_route_configs as Json[])[0] as Json).route_config as Json).name, '9080');

    const withEds = JSON.parse((await call(proxy.adminPort, '/config_dump?include_eds')).body) as {
      configs: Json[];
    };
    const eds = withEds.configs.find(
      (config) => config['@type'] === 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
    );
    const endpointConfig = ((eds?.dynamic_endpoint_configs as Json[])[0] as Json).endpoint_config as Json;
    assert.equal(endpointConfig.cluster_name, 'outbound|9080||reviews.default.svc.cluster.local');
  });

  it('shows a rejected resource with its error state next to the config still in force', async () => {
    server.setResources(CLUSTER_TYPE_URL, [
      edsCluster('outbound|9080||reviews.default.svc.cluster.local'),
      edsCluster('broken'),
    ]);
    await server.waitFor((r) => r.kind === 'nack' && r.typeUrl === CLUSTER_TYPE_URL);
    const dump = JSON.parse((await call(proxy.adminPort, '/config_dump')).body) as { configs: Json[] };
    const clusters = dump.configs[1] as Json;
    assert.equal(clusters.version_info, '1');
    const entries = clusters.dynamic_active_clusters as Json[];
    assert.equal(entries.length, 2);
    const failed = entries[1] as Json;
    assert.equal(failed.client_status, 'NACKED');
    const errorState = failed.error_state as Json;
    assert.equal(errorState.details, 'Cluster "broken": no load assignment');
    assert.equal(errorState.version_info, '2');
    assert.equal((errorState.failed_configuration as Json).name, 'broken');
  });

  it('lists clusters as Envoy does, in text and JSON', async () => {
    const text = (await call(proxy.adminPort, '/clusters')).body.split('\n');
    const name = 'outbound|9080||reviews.default.svc.cluster.local';
    for (const line of [
      `${name}::observability_name::${name}`,
      `${name}::default_priority::max_connections::100`,
      `${name}::default_priority::max_retries::3`,
      `${name}::added_via_api::true`,
      `${name}::10.0.0.7:9080::cx_active::1`,
      `${name}::10.0.0.7:9080::rq_total::12`,
      `${name}::10.0.0.7:9080::health_flags::/failed_outlier_check`,
      `${name}::10.0.0.7:9080::weight::2`,
      `${name}::10.0.0.7:9080::zone::eu-1`,
      `${name}::[fd00::8]:9080::health_flags::healthy`,
    ])
      assert.ok(text.includes(line), `missing ${line}`);
    const json = JSON.parse((await call(proxy.adminPort, '/clusters?format=json')).body) as {
      cluster_statuses: Json[];
    };
    const host = ((json.cluster_statuses[0] as Json).host_statuses as Json[])[0] as Json;
    assert.deepEqual(host.address, { socket_address: { address: '10.0.0.7', port_value: 9080 } });
    assert.deepEqual(host.health_status, { failed_outlier_check: true, eds_health_status: 'HEALTHY' });
    assert.deepEqual(host.stats, [
      { type: 'GAUGE', value: '1', name: 'cx_active' },
      { value: '12', name: 'rq_total' },
      { value: '3', name: 'rq_error' },
    ]);
  });

  it('lists listeners with their bound addresses', async () => {
    assert.equal(
      (await call(proxy.adminPort, '/listeners')).body,
      '0.0.0.0_9080::0.0.0.0:9080\nvirtualOutbound::127.0.0.1:41001\n',
    );
    const json = JSON.parse((await call(proxy.adminPort, '/listeners?format=json')).body) as {
      listener_statuses: Json[];
    };
    assert.deepEqual(json.listener_statuses[1], {
      name: 'virtualOutbound',
      local_address: { socket_address: { address: '127.0.0.1', port_value: 41001 } },
    });
  });

  it('serves /stats as text, JSON and Prometheus, with server and xDS stats', async () => {
    const text = await call(proxy.adminPort, '/stats');
    assert.match(text.body, /^server\.live: 1$/m);
    assert.match(text.body, /^cluster_manager\.cds\.update_success: 1$/m);
    assert.match(text.body, /^cluster_manager\.cds\.update_rejected: 1$/m);
    assert.match(text.body, /^control_plane\.connected_state: 1$/m);
    const filtered = await call(proxy.adminPort, '/stats?filter=^server\\.(live|concurrency)$');
    assert.equal(filtered.body, 'server.concurrency: 1\nserver.live: 1\n');
    assert.equal((await call(proxy.adminPort, '/stats?filter=(')).status, 400);
    const json = JSON.parse(
      (await call(proxy.adminPort, '/stats?format=json&filter=server.live')).body,
    ) as Json;
    assert.deepEqual(json.stats, [{ name: 'server.live', value: 1 }]);
    const prometheus = await call(proxy.adminPort, '/stats/prometheus');
    assert.equal(prometheus.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assertValidExposition(prometheus.body);
    assert.match(prometheus.body, /^envoy_server_live 1$/m);
    assert.match(prometheus.body, /^envoy_cluster_manager_cds_update_rejected 1$/m);
    assert.match(prometheus.body, /^envoy_server_uptime \d+$/m);
  });

  it('reports server info with state and node', async () => {
    const info = JSON.parse((await call(proxy.adminPort, '/server_info')).body) as Json;
    assert.equal(info.state, 'LIVE');
    assert.match(String(info.version), /^heddle-proxy\/\d+\.\d+\.\d+$/);
    assert.equal((info.node as Json).id, 'sidecar~127.0.0.1~product.default~default.svc.cluster.local');
    assert.match(String(info.uptime_current_epoch), /^\d+(\.\d+)?s$/);
    assert.equal((info.command_line_options as Json).drain_time, '5s');
  });

  it('reads logging levels with GET and changes them with POST', async () => {
    const levels = await call(proxy.adminPort, '/logging');
    assert.match(levels.body, /^ {2}config: info$/m);
    assert.equal((await call(proxy.adminPort, '/logging?level=debug')).status, 405);
    const changed = await call(proxy.adminPort, '/logging?config=debug', { method: 'POST' });
    assert.equal(changed.status, 200);
    assert.match(changed.body, /^ {2}config: debug$/m);
    assert.match(changed.body, /^ {2}admin: info$/m);
    const all = await call(proxy.adminPort, '/logging?level=warning', { method: 'POST' });
    assert.doesNotMatch(all.body, /: (info|debug)$/m);
    assert.equal((await call(proxy.adminPort, '/logging?level=loud', { method: 'POST' })).status, 400);
    assert.equal((await call(proxy.adminPort, '/logging?nosuch=info', { method: 'POST' })).status, 400);
  });

  it('takes POST only for mutating endpoints, GET only for the others, and refuses cross-origin POSTs', async () => {
    for (const path of ['/quitquitquit', '/drain_listeners', '/healthcheck/fail']) {
      const reply = await call(proxy.adminPort, path);
      assert.equal(reply.status, 405, path);
      assert.equal(reply.headers.allow, 'POST');
    }
    const post = await call(proxy.adminPort, '/stats', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal((await call(proxy.adminPort, '/config_dump', { method: 'PUT' })).status, 405);
    const crossSite = await call(proxy.adminPort, '/quitquitquit', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(crossSite.status, 403);
    const rebound = await call(proxy.adminPort, '/healthcheck/fail', {
      method: 'POST',
      headers: { origin: `http://evil.example:${proxy.adminPort}`, host: `evil.example:${proxy.adminPort}` },
    });
    assert.equal(rebound.status, 403, 'a DNS-rebound page keeps its own origin');
    const sameSite = await call(proxy.adminPort, '/healthcheck/ok', {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${proxy.adminPort}` },
    });
    assert.equal(sameSite.status, 200);
    assert.equal(proxy.state(), 'LIVE');
    assert.equal((await call(proxy.adminPort, '/nope')).status, 404);
    assert.match((await call(proxy.adminPort, '/')).body, /\/quitquitquit \(POST\): shut the proxy down/);
  });

  it('fails readiness on /healthcheck/fail until /healthcheck/ok', async () => {
    assert.equal((await call(proxy.adminPort, '/healthcheck/fail', { method: 'POST' })).status, 200);
    const failing = await call(proxy.healthPort, '/healthz/ready');
    assert.equal(failing.status, 503);
    assert.equal(failing.body, 'health check failed\n');
    await call(proxy.adminPort, '/healthcheck/ok', { method: 'POST' });
    assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 200);
  });
});
