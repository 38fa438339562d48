// Heddle's own proxy presents its bootstrap join token on the ADS stream and is served; without one, or with a
// token for another workload, the control plane refuses it. Real proxy, real control plane with its CA.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { LogRegistry, startProxy, type Bootstrap, type CaBootstrap, type Proxy } from '@heddle/proxy';
import type { ProxyStatus } from '../../../src/index.ts';
import { startAuthPlane, type AuthPlane } from './auth-test-kit.ts';

const SERVICE_ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP }]
  endpoints: [{ address: 127.0.0.1 }]
`;

function nodeId(workload: string): string {
  return `sidecar~127.0.0.1~${workload}.shop~shop.svc.cluster.local`;
}

function bootstrap(
  plane: AuthPlane,
  workload: string,
  ca?: Omit<CaBootstrap, 'address' | 'certificateTtlSeconds'>,
): Bootstrap {
  return {
    node: {
      id: nodeId(workload),
      cluster: `${workload}.shop`,
      metadata: {
        NAMESPACE: 'shop',
        WORKLOAD_NAME: workload,
        SERVICE_ACCOUNT: workload,
        LABELS: { app: workload },
        INSTANCE_IPS: '127.0.0.1',
      },
    },
    controlPlane: { addresses: [`127.0.0.1:${plane.cp.xdsPort}`] },
    admin: { address: '127.0.0.1', port: 0 },
    health: { address: '127.0.0.1', port: 0 },
    drainTimeoutMs: 1000,
    concurrency: 1,
    ...(ca ? { ca: { address: `127.0.0.1:${plane.cp.xdsPort}`, certificateTtlSeconds: 3600, ...ca } } : {}),
  };
}

function start(config: Bootstrap): Promise<Proxy> {
  return startProxy(config, {
    logs: new LogRegistry({ level: 'off' }),
    backoff: { baseMs: 50, capMs: 200 },
    bindAddressOverride: () => ({ address: '127.0.0.1', port: 0 }),
  });
}

/** The proxy's first config, or a failure after 20 s. */
async function ready(proxy: Proxy): Promise<void> {
  const timeout = new AbortController();
  const outcome = await Promise.race([
    proxy.ready.then(() => 'ready'),
    sleep(20_000, 'timeout', { signal: timeout.signal }).catch(() => 'cancelled'),
  ]);
  timeout.abort();
  assert.equal(outcome, 'ready', 'the proxy did not get its first config within 20 s');
}

async function syncz(plane: AuthPlane): Promise<ProxyStatus[]> {
  const response = await fetch(`http://127.0.0.1:${plane.cp.httpPort}/debug/syncz`);
  assert.equal(response.status, 200);
  return (await response.json()) as ProxyStatus[];
}

/** Polls proxy-status until `id` has every type it was sent ACKed (SYNCED), bounded. */
async function untilSynced(plane: AuthPlane, id: string): Promise<ProxyStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = (await syncz(plane)).find((entry) => entry.proxy === id);
    const sent = status?.types.filter((type) => type.status !== 'NOT SENT') ?? [];
    if (status && sent.length > 0 && sent.every((type) => type.status === 'SYNCED')) return status;
    if (Date.now() > deadline) assert.fail(`${id} never reached SYNCED: ${JSON.stringify(status)}`);
    await sleep(50);
  }
}

describe('the proxy’s join token on its ADS stream', { timeout: 90_000 }, () => {
  let plane: AuthPlane;
  let dir: string;
  const proxies: Proxy[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-xds-auth-proxy-'));
    plane = await startAuthPlane();
    const response = await fetch(`http://127.0.0.1:${plane.cp.httpPort}/apis/v1/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: SERVICE_ENTRY,
    });
    assert.equal(response.status, 200, await response.text());
  });
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await plane?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('connects with ca.token and reaches SYNCED', async () => {
    const proxy = await start(bootstrap(plane, 'frontend', { token: await plane.token('shop', 'frontend') }));
    proxies.push(proxy);
    await ready(proxy);
    const status = await untilSynced(plane, nodeId('frontend'));
    assert.equal(status.namespace, 'shop');
    assert.ok(status.types.some((type) => type.type === 'CDS' && type.status === 'SYNCED'));
  });

  it('connects with ca.tokenFile, read when the stream opens', async () => {
    const tokenFile = join(dir, 'cart-token');
    await writeFile(tokenFile, `${await plane.token('shop', 'cart')}\n`, { mode: 0o600 });
    const proxy = await start(bootstrap(plane, 'cart', { tokenFile }));
    proxies.push(proxy);
    await ready(proxy);
    await untilSynced(plane, nodeId('cart'));
  });

  it('is refused without a token, and never gets config', async () => {
    const refused = (): number =>
      plane.logger.lines.filter((line) => line.fields.code === 'HEDDLE_XDS_UNAUTHENTICATED').length;
    const earlier = refused();
    const proxy = await start(bootstrap(plane, 'intruder'));
    proxies.push(proxy);
    const deadline = Date.now() + 10_000;
    while (refused() - earlier < 2 && Date.now() < deadline) await sleep(50);
    assert.ok(refused() - earlier >= 2, 'the proxy tried, and was refused, more than once');
    assert.equal(proxy.state(), 'PRE_INITIALIZING');
    assert.equal(
      (await syncz(plane)).some((entry) => entry.proxy === nodeId('intruder')),
      false,
    );
  });

  it('is refused when its token is for another workload', async () => {
    const proxy = await start(bootstrap(plane, 'impostor', { token: await plane.token('shop', 'frontend') }));
    proxies.push(proxy);
    const deadline = Date.now() + 10_000;
    const mismatch = () =>
      plane.logger.lines.find(
        (line) =>
          line.fields.code === 'HEDDLE_XDS_IDENTITY_MISMATCH' && line.fields.proxy === nodeId('impostor'),
      );
    while (!mismatch() && Date.now() < deadline) await sleep(50);
    assert.ok(mismatch(), 'the refusal names the proxy and the mismatch');
    assert.equal(proxy.state(), 'PRE_INITIALIZING');
  });
});
