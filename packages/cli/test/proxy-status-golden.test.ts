// `heddle proxy-status`: istioctl's table with SYNCED, STALE, NACKED and NOT SENT side by side, and for one
// proxy what the control plane sends compared with what the proxy holds — golden files in testdata/.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toJson, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { expectGolden } from '@heddle/testkit';
import { xdsRegistry } from '@heddle/xds';
import { ConfigDumpSchema } from '@heddle/xds/gen/envoy/admin/v3/config_dump_pb.ts';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { applyShopMesh, TESTDATA, waitForSync } from './helpers/mesh-fixture.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';
import { connectScriptedProxy } from './helpers/scripted-proxy.ts';
import { tempDir } from './helpers/temp-dir.ts';

const GOLDEN = join(TESTDATA, 'proxy-status');
const REVIEWS_V1 = 'outbound|9080|v1|reviews.shop.svc.cluster.local';
const REVIEWS = 'outbound|9080||reviews.shop.svc.cluster.local';

interface Dump {
  configs: { '@type': string; [key: string]: unknown }[];
}

/** Envoy's admin spelling of a dump (the .proto field names), as a proxy's /config_dump prints it. */
function asEnvoyAdminJson(dump: Dump): unknown {
  const message = fromJson(ConfigDumpSchema, dump as unknown as JsonValue, { registry: xdsRegistry });
  return toJson(ConfigDumpSchema, message, { registry: xdsRegistry, useProtoFieldName: true });
}

describe('heddle proxy-status (golden)', { timeout: 120_000 }, () => {
  it('prints the table, the per-proxy summary and the diff against a proxy dump', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await applyShopMesh(plane);
    const subscriptions = { clusters: [REVIEWS_V1, REVIEWS], routes: ['9080'] };
    await connectScriptedProxy(t, plane, {
      workload: 'productpage',
      namespace: 'shop',
      ip: '10.1.0.1',
      ...subscriptions,
    });
    await connectScriptedProxy(t, plane, {
      workload: 'details',
      namespace: 'shop',
      ip: '10.1.0.2',
      ...subscriptions,
      answers: { LDS: { nack: 'listener 0.0.0.0_9080: unsupported filter envoy.filters.http.wasm' } },
    });
    await connectScriptedProxy(t, plane, {
      workload: 'ratings',
      namespace: 'shop',
      ip: '10.1.0.3',
      ...subscriptions,
      answers: { RDS: 'none' },
    });
    await waitForSync(url, (statuses) => {
      const states = statuses.map((s) => s.types.map((type) => type.status).join(','));
      return (
        statuses.length === 3 &&
        states.filter((s) => s.includes('STALE') && !s.includes('NACKED')).length === 1
      );
    });
    const cli = (...args: string[]) => runCli([...args, '--control-plane', url]);

    await t.test('the table: one row per proxy, each xDS type in its state', async () => {
      const result = await cli('proxy-status');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      expectGolden(result.stdout, join(GOLDEN, 'table.golden'));
    });

    await t.test('one proxy without its dump: each type summed up from its ACKs and NACKs', async () => {
      for (const [proxy, golden] of [
        ['productpage.shop', 'summary-synced.golden'],
        ['details.shop', 'summary-nacked.golden'],
        ['ratings.shop', 'summary-stale.golden'],
      ] as const) {
        const result = await cli('proxy-status', proxy);
        assert.equal(result.code, 0, result.stderr);
        expectGolden(versionless(result.stdout), join(GOLDEN, golden));
      }
    });

    await t.test('the proxy holds what was sent: every section matches', async (t2) => {
      const dump = (await (await fetch(`${url}/debug/config_dump?proxyID=productpage.shop`)).json()) as Dump;
      const file = join(await tempDir(t2), 'envoy-dump.json');
      await writeFile(file, JSON.stringify(asEnvoyAdminJson(dump)));
      const result = await cli('proxy-status', 'productpage.shop', '--file', file);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'Clusters Match\nListeners Match\nRoutes Match\nEndpoints Match\n');
    });

    await t.test('the proxy holds something else: a unified diff per section that differs', async (t2) => {
      const dump = (await (await fetch(`${url}/debug/config_dump?proxyID=productpage.shop`)).json()) as Dump;
      const clusters = dump.configs.find((c) => c['@type'].endsWith('ClustersConfigDump')) as unknown as {
        dynamicActiveClusters: { cluster: { name: string; connectTimeout?: string } }[];
      };
      const v1 = clusters.dynamicActiveClusters.find((entry) => entry.cluster.name === REVIEWS_V1);
      assert.ok(v1);
      v1.cluster.connectTimeout = '3s';
      // The proxy still holds the canary at 80/20: a rule change it has not taken.
      const text = JSON.stringify(dump)
        .replace('"weight":90', '"weight":80')
        .replace('"weight":10', '"weight":20');
      Object.assign(dump, JSON.parse(text) as Dump);
      // Without endpoints in the dump (a proxy's /config_dump leaves them out by default) they are not compared.
      dump.configs = dump.configs.filter((c) => !c['@type'].endsWith('EndpointsConfigDump'));
      const file = join(await tempDir(t2), 'envoy-dump.json');
      await writeFile(file, JSON.stringify(asEnvoyAdminJson(dump)));
      const result = await cli('proxy-status', 'productpage.shop', '-f', file);
      assert.equal(result.code, 0, result.stderr);
      expectGolden(result.stdout, join(GOLDEN, 'diff.golden'));
    });

    await t.test('bad input: an unknown proxy, an unreadable or foreign dump', async (t2) => {
      const ghost = await cli('proxy-status', 'ghost.shop');
      assert.equal(ghost.code, 1);
      assert.equal(
        ghost.stderr,
        `heddle: no proxy "ghost.shop" is connected to the control plane at ${url} (see 'heddle proxy-status')\n`,
      );
      const dir = await tempDir(t2);
      const missing = await cli('proxy-status', 'productpage.shop', '--file', join(dir, 'none.json'));
      assert.equal(missing.code, 65);
      assert.match(missing.stderr, /^heddle: cannot read .*none\.json: no such file or directory\n$/);
      const foreign = join(dir, 'foreign.json');
      await writeFile(foreign, '{"hello": "world"}');
      const notDump = await cli('proxy-status', 'productpage.shop', '--file', foreign);
      assert.equal(notDump.code, 65);
      assert.match(notDump.stderr, /is not a config dump: not an Envoy config dump/);
      const both = await cli(
        'proxy-status',
        'productpage.shop',
        '--file',
        foreign,
        '--admin',
        'http://127.0.0.1:1',
      );
      assert.equal(both.code, 64);
      assert.equal(stackTraceIn(both), undefined);
    });
  });
});

/** Sync versions are content hashes of the translated config: stable, but not worth pinning in a golden. */
function versionless(text: string): string {
  return text.replace(/version [0-9a-f]{6,}/g, 'version <hash>');
}
