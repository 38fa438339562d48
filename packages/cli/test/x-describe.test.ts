// `heddle x describe service|workload`: routes with weights and faults, subsets, traffic policy, mTLS,
// AuthorizationPolicies and gateways of the shop mesh, computed from the control plane — golden files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectGolden } from '@heddle/testkit';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { applyShopMesh, TESTDATA, waitForSync } from './helpers/mesh-fixture.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';
import { connectScriptedProxy } from './helpers/scripted-proxy.ts';

const GOLDEN = join(TESTDATA, 'describe');

describe('heddle x describe (golden)', { timeout: 180_000 }, () => {
  it('describes services and workloads of the shop mesh', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await applyShopMesh(plane);
    await connectScriptedProxy(t, plane, {
      workload: 'reviews-v1',
      namespace: 'shop',
      ip: '10.0.0.7',
      labels: { app: 'reviews', version: 'v1' },
    });
    await waitForSync(url, (statuses) => statuses.length === 1);
    const cli = (...args: string[]) => runCli(['x', 'describe', ...args, '--control-plane', url]);

    for (const [golden, args] of [
      ['service-reviews.golden', ['service', 'reviews.shop']],
      ['service-frontend.golden', ['svc', 'frontend', '-n', 'shop']],
      ['service-by-host.golden', ['service', 'reviews.shop.svc.cluster.local']],
      ['workload-reviews-v1.golden', ['workload', 'reviews-v1.shop']],
      ['workload-reviews-v2.golden', ['pod', 'reviews-v2', '-n', 'shop']],
      ['service-reviews-json.golden', ['service', 'reviews.shop', '-o', 'json']],
    ] as const) {
      const result = await cli(...args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      expectGolden(result.stdout, join(GOLDEN, golden));
    }
    assert.equal(
      (await cli('service', 'reviews.shop.svc.cluster.local')).stdout,
      (await cli('service', 'reviews.shop')).stdout,
      'a host name and name.namespace name the same service',
    );

    const unknown = await cli('service', 'ratings.shop');
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr,
      `heddle: no service "ratings" in namespace "shop" is in the registry (see 'heddle get se -A')\n`,
    );
    const noWorkload = await cli('workload', 'ghost', '-n', 'shop');
    assert.equal(noWorkload.code, 1);
    assert.match(noWorkload.stderr, /^heddle: no workload "ghost" in namespace "shop" is registered/);
    assert.equal(stackTraceIn(noWorkload), undefined);
  });
});
