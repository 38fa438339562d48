// `heddle proxy-status` and `heddle proxy-config`: istioctl's tables over the debug endpoints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyYaml } from '@heddle/control-plane';
import { connectSidecar } from './helpers/connected-proxy.ts';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';

const MESH = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews.shop.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  endpoints: [{address: 10.0.0.7, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews.shop.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - match: [{uri: {prefix: /api}}]
      route: [{destination: {host: reviews.shop.svc.cluster.local, subset: v1}}]
    - route: [{destination: {host: reviews.shop.svc.cluster.local}}]
`;

const SUBSET_CLUSTER = 'outbound|9080|v1|reviews.shop.svc.cluster.local';
const SERVICE_CLUSTER = 'outbound|9080||reviews.shop.svc.cluster.local';

/** The cells of a table line, split on the three-space column gaps. */
function cells(line: string): string[] {
  return line.split(/ {2,}/);
}

function rowsOf(table: string): string[][] {
  return table.trimEnd().split('\n').map(cells);
}

describe('heddle proxy-status and proxy-config', { timeout: 120_000 }, () => {
  it('proxy-status with no proxy connected prints the header and a note', async (t) => {
    const { url } = await startTestControlPlane(t);
    const result = await runCli(['proxy-status', '--control-plane', url]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'NAME   CLUSTER   CDS   LDS   EDS   RDS   ECDS   ISTIOD   VERSION\n');
    assert.equal(result.stderr, `No proxies are connected to the control plane at ${url}.\n`);
  });

  it('proxy-config for a proxy that is not connected: one line, exit 1', async (t) => {
    const { url } = await startTestControlPlane(t);
    const result = await runCli(['proxy-config', 'cluster', 'ghost.shop', '--control-plane', url]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(stackTraceIn(result), undefined);
    assert.equal(
      result.stderr,
      `heddle: no proxy "ghost.shop" is connected to the control plane at ${url} (see 'heddle proxy-status')\n`,
    );
    const unknownType = await runCli(['proxy-config', 'ecds', 'ghost.shop', '--control-plane', url]);
    assert.equal(unknownType.code, 64);
    assert.match(unknownType.stderr, /^heddle: unknown config type 'ecds'$/m);
    const bootstrap = await runCli(['proxy-config', 'bootstrap', 'ghost.shop', '--control-plane', url]);
    assert.equal(bootstrap.code, 1);
  });

  it('shows a connected sidecar: its sync status and the config it was sent', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const applied = await applyYaml(plane.store, [{ name: 'mesh.yaml', text: MESH }]);
    assert.equal(applied.code, undefined, JSON.stringify(applied.findings));
    const proxy = await connectSidecar(t, plane, 'productpage', 'shop', {
      clusters: [SUBSET_CLUSTER, SERVICE_CLUSTER],
      routes: ['9080'],
    });
    const cli = (...args: string[]) => runCli([...args, '--control-plane', url]);

    await t.test('proxy-status: one row, every type SYNCED, ECDS NOT SENT', async () => {
      const result = await cli('proxy-status');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(rowsOf(result.stdout), [
        ['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION'],
        [
          'productpage.shop',
          'local',
          'SYNCED',
          'SYNCED',
          'SYNCED',
          'SYNCED',
          'NOT SENT',
          'test-control-plane',
          '1.24.0',
        ],
      ]);
      const json = JSON.parse((await cli('proxy-status', '-o', 'json')).stdout) as { proxy: string }[];
      assert.deepEqual(
        json.map((status) => status.proxy),
        [proxy.nodeId],
      );
    });

    await t.test('proxy-config cluster: service, port, subset, direction, type and rule', async () => {
      const result = await cli('proxy-config', 'clusters', 'productpage.shop');
      assert.equal(result.code, 0, result.stderr);
      const rows = rowsOf(result.stdout);
      assert.deepEqual(rows[0], ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE']);
      assert.deepEqual(
        rows.filter((row) => row[0] === 'reviews.shop.svc.cluster.local'),
        [
          ['reviews.shop.svc.cluster.local', '9080', '-', 'outbound', 'EDS', 'reviews.shop'],
          ['reviews.shop.svc.cluster.local', '9080', 'v1', 'outbound', 'EDS', 'reviews.shop'],
        ],
      );
      assert.ok(rows.some((row) => row[0] === 'PassthroughCluster' && row[4] === 'ORIGINAL_DST'));
    });

    await t.test(
      'proxy-config listener: one row per filter chain with its match and destination',
      async () => {
        const rows = rowsOf((await cli('pc', 'listener', proxy.nodeId)).stdout);
        assert.deepEqual(rows[0], ['ADDRESS', 'PORT', 'MATCH', 'DESTINATION']);
        assert.ok(
          rows.some((row) => row.join('|') === '0.0.0.0|9080|ALL|Route: 9080'),
          JSON.stringify(rows),
        );
        assert.ok(rows.some((row) => row.join('|') === '0.0.0.0|15001|ALL|PassthroughCluster'));
      },
    );

    await t.test('proxy-config route: a row per route with its match and VirtualService', async () => {
      const rows = rowsOf((await cli('proxy-config', 'route', 'productpage.shop')).stdout);
      assert.deepEqual(rows[0], ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE']);
      const reviews = rows.filter((row) => row[1] === 'reviews.shop.svc.cluster.local:9080');
      assert.deepEqual(
        reviews.map((row) => [row[0], row[2], row[3], row[4]]),
        [
          ['9080', 'reviews, reviews.shop + 2 more...', '/api*', 'reviews.shop'],
          ['9080', 'reviews, reviews.shop + 2 more...', '/*', 'reviews.shop'],
        ],
      );
    });

    await t.test('proxy-config endpoint: each endpoint sent, with its cluster', async () => {
      const rows = rowsOf((await cli('proxy-config', 'endpoints', 'productpage.shop')).stdout);
      assert.deepEqual(rows, [
        ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'],
        ['10.0.0.7:9080', 'HEALTHY', '-', SUBSET_CLUSTER],
        ['10.0.0.7:9080', 'HEALTHY', '-', SERVICE_CLUSTER],
      ]);
    });

    await t.test('-o json prints the resources; all -o json the whole dump', async () => {
      const output = await cli('proxy-config', 'cluster', 'productpage.shop', '-o', 'json');
      const clusters = JSON.parse(output.stdout) as { name: string }[];
      assert.ok(Array.isArray(clusters));
      assert.ok(clusters.some((cluster) => cluster.name === SUBSET_CLUSTER));
      const all = await cli('proxy-config', 'all', 'productpage.shop', '-o', 'json');
      const dump = JSON.parse(all.stdout) as { configs: unknown[] };
      assert.equal(dump.configs.length, 5);
      const yaml = await cli('proxy-config', 'route', 'productpage.shop', '-o', 'yaml');
      assert.match(
        yaml.stdout,
        /^- "@type": type\.googleapis\.com\/envoy\.config\.route\.v3\.RouteConfiguration$/m,
      );
    });
  });
});
