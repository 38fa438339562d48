// The mesh under trouble: the control plane goes away and comes back on the same data dir and xDS port; an
// upstream replica dies under load and outlier detection ejects it; the gateway drains with requests in
// flight. Real upstreams, real clients, the TypeScript proxy in-process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import {
  adminText,
  apply,
  boundPort,
  CLIENT_ID,
  closeClients,
  controlPlane,
  eventually,
  freePort,
  GATEWAY_ID,
  get,
  removeDir,
  startClientSidecar,
  startGateway,
  syncz,
  tally,
  tempDataDir,
  who,
  type Reply,
  type Target,
} from './support/mesh.ts';
import {
  ALL_TO_V1,
  ALL_TO_V2,
  documents,
  FRONTEND,
  PRODUCTS,
  PRODUCTS_SUBSETS,
  productsRoutes,
  REVIEWS,
  REVIEWS_OUTLIER,
  serviceEntry,
  SHOP_GATEWAY,
  SHOP_HOST,
  SHOP_ROUTES,
  workloadEntry,
} from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

describe('mesh resilience: control plane away, upstream death, drain', { timeout: 90_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let gateway: Proxy | undefined;
  let sidecar: Proxy | undefined;
  const upstreams: Upstream[] = [];
  let frontend: Upstream;
  let reviewsA: Upstream;
  let reviewsB: Upstream;
  let shop: Target;
  let products: Target;

  before(async () => {
    dataDir = await tempDataDir('mesh-resilience');
    cp = await controlPlane(dataDir);
    const started = await Promise.all([
      startUpstream('frontend', 'v1'),
      startUpstream('products', 'v1'),
      startUpstream('products', 'v2'),
      startUpstream('reviews', 'a'),
      startUpstream('reviews', 'b'),
    ]);
    upstreams.push(...started);
    const [front, productsV1, productsV2, a, b] = started;
    [frontend, reviewsA, reviewsB] = [front, a, b];
    await apply(
      cp,
      documents(
        serviceEntry('frontend', FRONTEND),
        serviceEntry('products', PRODUCTS),
        serviceEntry('reviews', REVIEWS),
        workloadEntry('frontend-v1', 'frontend', 'v1', front.port),
        workloadEntry('products-v1', 'products', 'v1', productsV1.port),
        workloadEntry('products-v2', 'products', 'v2', productsV2.port),
        workloadEntry('reviews-a', 'reviews', 'a', a.port),
        workloadEntry('reviews-b', 'reviews', 'b', b.port),
        PRODUCTS_SUBSETS,
        productsRoutes(ALL_TO_V1),
        REVIEWS_OUTLIER,
        SHOP_GATEWAY,
        SHOP_ROUTES,
      ),
    );
    const outboundPort = await freePort();
    [gateway, sidecar] = await Promise.all([
      startGateway(cp.xdsPort),
      startClientSidecar(cp.xdsPort, outboundPort),
    ]);
    shop = { port: await boundPort(gateway, '0.0.0.0_80'), style: 'host', host: SHOP_HOST };
    products = { port: outboundPort, style: 'proxy', host: PRODUCTS };
  });

  after(async () => {
    closeClients();
    await Promise.all([gateway?.close(), sidecar?.close()]);
    await cp?.close();
    await Promise.all(upstreams.map((u) => u.kill()));
    await removeDir(dataDir);
  });

  it('keeps serving on the last config while the control plane is down, then resyncs after a restart', async () => {
    assert.deepEqual(await tally(products, '/', 20), { 'products-v1': 20 });
    const xdsPort = cp!.xdsPort;
    await cp!.close();
    cp = undefined;

    // No control plane: both proxies keep carrying traffic on what they last accepted.
    await sleep(300);
    assert.deepEqual(await tally(products, '/', 100), { 'products-v1': 100 });
    assert.deepEqual(await tally(shop, '/', 50), { 'frontend-v1': 50 });

    // Back on the same data dir and xDS port: the proxies reconnect on their own.
    cp = await controlPlane(dataDir!, xdsPort);
    assert.equal(cp.xdsPort, xdsPort);
    const reconnected = await eventually(async () => {
      const ids = (await syncz(cp!)).map((s) => s.proxy);
      return ids.includes(GATEWAY_ID) && ids.includes(CLIENT_ID);
    }, 15_000);
    assert.ok(reconnected, `proxies not reconnected within 15 s: ${JSON.stringify(await syncz(cp))}`);

    // The restarted control plane serves the stored config, and a new change reaches the proxies.
    await apply(cp, productsRoutes(ALL_TO_V2));
    const shifted = await eventually(
      async () => (await tally(products, '/', 20, {}, 20))['products-v2'] === 20,
      10_000,
    );
    assert.ok(shifted, 'the change applied after the restart did not take effect within 10 s');
    assert.deepEqual(await tally(shop, '/', 20), { 'frontend-v1': 20 });
  });

  it('fails over when an upstream replica dies mid-load, and /clusters shows it ejected', async () => {
    const warm = await tally(shop, '/reviews', 40);
    assert.equal((warm['reviews-a'] ?? 0) + (warm['reviews-b'] ?? 0), 40, JSON.stringify(warm));
    assert.ok(
      (warm['reviews-a'] ?? 0) > 0 && (warm['reviews-b'] ?? 0) > 0,
      `both serve: ${JSON.stringify(warm)}`,
    );

    // Steady load from 8 clients for 1.5 s; replica a dies 300 ms in, with requests open on it (each answer
    // takes 20 ms), which the retry policy sends to replica b.
    reviewsA.delayMs = 20;
    reviewsB.delayMs = 20;
    const replies: { reply: Reply; afterKill: boolean }[] = [];
    let killed = false;
    const stopAt = Date.now() + 1_500;
    const client = async () => {
      while (Date.now() < stopAt) {
        const startedAfterKill = killed;
        replies.push({ reply: await get(shop, '/reviews'), afterKill: startedAfterKill });
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    await sleep(300);
    await reviewsA.kill();
    killed = true;
    await load;

    const failed = replies.filter(({ reply }) => reply.status !== 200);
    assert.deepEqual(
      failed.map(({ reply }) => `${reply.status} ${reply.body}`),
      [],
      `every request succeeded (retries to the other replica), of ${replies.length}`,
    );
    const afterKill = replies.filter((r) => r.afterKill).map((r) => who(r.reply));
    assert.ok(afterKill.length >= 20, `only ${afterKill.length} requests after the kill`);
    assert.ok(
      afterKill.every((w) => w === 'reviews-b'),
      `after the kill: ${JSON.stringify(afterKill)}`,
    );

    const cluster = `outbound|80||${REVIEWS}`;
    const dead = `${cluster}::127.0.0.1:${reviewsA.port}::health_flags::`;
    const ejected = await eventually(
      async () => (await adminText(gateway!, '/clusters')).includes(`${dead}/failed_outlier_check`),
      5_000,
    );
    const lines = (await adminText(gateway!, '/clusters'))
      .split('\n')
      .filter((l) => l.startsWith(`${cluster}::`) && l.includes('health_flags'));
    assert.ok(ejected, `replica a not ejected in /clusters:\n${lines.join('\n')}`);
    assert.ok(
      lines.includes(`${cluster}::127.0.0.1:${reviewsB.port}::health_flags::healthy`),
      lines.join('\n'),
    );
  });

  it('drains with requests in flight: every request that started completes', async () => {
    const seen = frontend.counts.requests;
    const inFlight = Array.from({ length: 20 }, () => get(shop, '/slow', { 'x-sleep-ms': '600' }));
    const arrived = await eventually(() => frontend.counts.requests - seen >= 20, 5_000);
    assert.ok(arrived, `only ${frontend.counts.requests - seen} of 20 requests reached the upstream`);

    const started = performance.now();
    const drained = gateway!.drain();
    const replies = await Promise.all(inFlight);
    await drained;
    const drainMs = performance.now() - started;

    assert.deepEqual(
      replies.map((r) => `${r.status} ${who(r)}`),
      Array.from({ length: 20 }, () => '200 frontend-v1'),
    );
    assert.equal(gateway!.state(), 'DRAINING');
    // The drain waited for the in-flight requests (about 600 ms upstream), and ended well before its deadline.
    assert.ok(drainMs >= 300 && drainMs < 5_000, `drain took ${drainMs.toFixed(0)} ms (the deadline is 5 s)`);
    const late = await get(shop, '/', {}, 2_000);
    assert.notEqual(late.status, 200, 'a drained gateway takes no new requests');
  });
});
