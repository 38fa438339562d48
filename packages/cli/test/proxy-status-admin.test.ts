// `heddle proxy-status <proxy> --admin`: a real Heddle proxy connected to a real control plane, its own
// admin /config_dump compared with what the control plane sends — everything matches once it has synced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogRegistry, startProxy, type Proxy } from '@heddle/proxy';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { applyShopMesh, waitForSync } from './helpers/mesh-fixture.ts';
import { runCli } from './helpers/run-cli.ts';

/** Fails instead of hanging when the promise does not settle in time. */
async function bounded<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const NODE_ID = 'sidecar~127.0.0.1~frontend.shop~shop.svc.cluster.local';

describe('heddle proxy-status --admin', { timeout: 120_000 }, () => {
  it('reads the proxy own config dump and finds every section matching', async (t) => {
    // The proxy has no join token (no `ca` section): it is let in from loopback.
    const { plane, url } = await startTestControlPlane(t);
    await applyShopMesh(plane);
    const proxy: Proxy = await startProxy(
      {
        node: {
          id: NODE_ID,
          cluster: 'frontend.shop',
          metadata: {
            NAMESPACE: 'shop',
            WORKLOAD_NAME: 'frontend',
            SERVICE_ACCOUNT: 'frontend',
            LABELS: { app: 'frontend' },
            INSTANCE_IPS: '127.0.0.1',
          },
        },
        controlPlane: { addresses: [`127.0.0.1:${plane.xdsPort}`] },
        admin: { address: '127.0.0.1', port: 0 },
        health: { address: '127.0.0.1', port: 0 },
        drainTimeoutMs: 1_000,
        concurrency: 1,
      },
      {
        logs: new LogRegistry({ level: 'error' }),
        bindAddressOverride: () => ({ address: '127.0.0.1', port: 0 }),
      },
    );
    t.after(() => proxy.close());
    await bounded(proxy.ready, 20_000, 'the proxy did not get its first config');
    await waitForSync(url, (statuses) =>
      statuses.some((s) => s.proxy === NODE_ID && s.types.every((type) => type.status !== 'STALE')),
    );
    const admin = `http://127.0.0.1:${proxy.adminPort}`;
    const result = await runCli(['proxy-status', 'frontend.shop', '--admin', admin, '--control-plane', url]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Clusters Match\nListeners Match\nRoutes Match\nEndpoints Match\n');

    const unreachable = await runCli([
      'proxy-status',
      'frontend.shop',
      '--admin',
      'http://127.0.0.1:1',
      '--control-plane',
      url,
    ]);
    assert.equal(unreachable.code, 69);
    assert.match(unreachable.stderr, /^heddle: cannot reach the proxy admin at http:\/\/127\.0\.0\.1:1: /);
  });
});
