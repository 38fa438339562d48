// The pieces carry real traffic: Istio YAML → control plane → TypeScript proxies (an ingress gateway and an
// explicit-capture sidecar) → real upstream servers, with real HTTP clients. Routing, a weighted canary,
// header-matched faults, retries, a live config change and the control plane's view of the proxies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import {
  apply,
  boundPort,
  CLIENT_ID,
  closeClients,
  controlPlane,
  eventually,
  freePort,
  GATEWAY_ID,
  get,
  registerWorkload,
  removeDir,
  startClientSidecar,
  startGateway,
  statValue,
  syncz,
  tally,
  tempDataDir,
  who,
  type Target,
} from './support/mesh.ts';
import {
  ALL_TO_V2,
  documents,
  FAULT_DELAY_MS,
  FRONTEND,
  PRODUCTS,
  PRODUCTS_SUBSETS,
  productsRoutes,
  RATINGS,
  ratingsRoutes,
  serviceEntry,
  SHOP_GATEWAY,
  SHOP_HOST,
  SHOP_ROUTES,
  SPLIT_90_10,
  workloadEntry,
} from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

describe('mesh traffic: gateway and sidecar on real upstreams', { timeout: 90_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let gateway: Proxy | undefined;
  let sidecar: Proxy | undefined;
  const upstreams: Upstream[] = [];
  let frontend: Upstream;
  let productsV1: Upstream;
  let productsV2: Upstream;
  let ratings: Upstream;
  let shop: Target;
  let products: Target;

  before(async () => {
    dataDir = await tempDataDir('mesh-traffic');
    cp = await controlPlane(dataDir);
    [frontend, productsV1, productsV2, ratings] = await Promise.all([
      startUpstream('frontend', 'v1'),
      startUpstream('products', 'v1'),
      startUpstream('products', 'v2'),
      startUpstream('ratings', 'v1'),
    ]);
    upstreams.push(frontend, productsV1, productsV2, ratings);
    ratings.mode = 'flaky';
    await apply(
      cp,
      documents(
        serviceEntry('frontend', FRONTEND),
        serviceEntry('products', PRODUCTS),
        serviceEntry('ratings', RATINGS),
        workloadEntry('products-v1', 'products', 'v1', productsV1.port),
        workloadEntry('products-v2', 'products', 'v2', productsV2.port),
        workloadEntry('ratings-v1', 'ratings', 'v1', ratings.port),
        PRODUCTS_SUBSETS,
        productsRoutes(SPLIT_90_10),
        ratingsRoutes(3),
        SHOP_GATEWAY,
        SHOP_ROUTES,
      ),
    );
    // The frontend is a running workload that registers itself, as `heddle run` does. A registered workload
    // is taken to run beside a sidecar (auto mTLS); this one has none, so its tlsMode label says so.
    await registerWorkload(cp, {
      name: 'frontend-v1',
      namespace: 'default',
      address: '127.0.0.1',
      ports: { http: frontend.port },
      labels: { app: 'frontend', version: 'v1', 'security.istio.io/tlsMode': 'disabled' },
    });
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

  it('gateway: routes /api/products and / to different services, per the VirtualService', async () => {
    const api = await get(shop, '/api/products/42');
    assert.equal(api.status, 200, api.body);
    const apiIdentity = JSON.parse(api.body) as { service: string; path: string; host: string };
    assert.equal(apiIdentity.service, 'products');
    assert.equal(apiIdentity.path, '/api/products/42');

    const home = await get(shop, '/');
    assert.equal(home.status, 200, home.body);
    assert.equal(who(home), 'frontend-v1');
    assert.equal(who(await get(shop, '/index.html')), 'frontend-v1');

    const other = await get({ ...shop, host: 'unknown.example.com' }, '/');
    assert.equal(other.status, 404, `a host the Gateway does not serve: ${other.status} ${other.body}`);
  });

  it('sidecar: splits 90/10 between the subsets over 500 requests', async () => {
    const counts = await tally(products, '/', 500);
    const v2 = counts['products-v2'] ?? 0;
    assert.equal((counts['products-v1'] ?? 0) + v2, 500, `all answered: ${JSON.stringify(counts)}`);
    // 10% of 500 is 50, standard deviation ≈ 6.7: ±4σ.
    assert.ok(v2 >= 23 && v2 <= 77, `v2 took ${v2} of 500 (${JSON.stringify(counts)})`);
  });

  it('sidecar: injects a fixed delay for end-user: test-user, and a 503 abort for x-fault: abort', async () => {
    const delaysBefore = await statValue(
      sidecar!,
      `http.outbound_127.0.0.1_${products.port}.fault.delays_injected`,
    );
    const delayed = await get(products, '/', { 'end-user': 'test-user' });
    assert.equal(delayed.status, 200, delayed.body);
    assert.equal(who(delayed), 'products-v1');
    assert.ok(delayed.elapsedMs >= FAULT_DELAY_MS - 5, `took ${delayed.elapsedMs.toFixed(0)} ms`);
    assert.ok(delayed.elapsedMs < FAULT_DELAY_MS + 1_500, `took ${delayed.elapsedMs.toFixed(0)} ms`);

    const plain = await get(products, '/', { 'end-user': 'someone-else' });
    assert.equal(plain.status, 200);
    assert.ok(plain.elapsedMs < FAULT_DELAY_MS - 50, `no delay for others: ${plain.elapsedMs.toFixed(0)} ms`);

    const seen = productsV1.counts.requests + productsV2.counts.requests;
    const aborted = await get(products, '/', { 'x-fault': 'abort' });
    assert.equal(aborted.status, 503);
    assert.equal(aborted.body, 'fault filter abort');
    assert.equal(productsV1.counts.requests + productsV2.counts.requests, seen, 'no upstream saw the abort');

    // Response flags DI and FI: the fault filter's counters on the HTTP-proxy listener.
    const prefix = `http.outbound_127.0.0.1_${products.port}.fault`;
    assert.equal(await statValue(sidecar!, `${prefix}.delays_injected`), delaysBefore + 1);
    assert.ok((await statValue(sidecar!, `${prefix}.aborts_injected`)) >= 1);
  });

  it('sidecar: a retry policy hides an upstream that fails every other request with 503', async () => {
    const ratingsTarget: Target = { ...products, host: RATINGS };
    const failedBefore = ratings.counts.failed;
    const counts = await tally(ratingsTarget, '/', 40, {}, 1);
    assert.deepEqual(counts, { 'ratings-v1': 40 });
    assert.ok(
      ratings.counts.failed - failedBefore >= 19,
      `the upstream failed ${ratings.counts.failed - failedBefore} times`,
    );
  });

  it('follows a VirtualService change applied live, within 10 s', async () => {
    await apply(cp!, productsRoutes(ALL_TO_V2));
    // Under the old split, 20 answers in a row from v2 has a chance of 1 in 10^20.
    const shifted = await eventually(
      async () => (await tally(products, '/', 20, {}, 20))['products-v2'] === 20,
      10_000,
    );
    assert.ok(shifted, 'traffic did not move to v2 within 10 s');
    assert.deepEqual(await tally(products, '/', 200), { 'products-v2': 200 });
  });

  it('/debug/syncz shows both proxies SYNCED, nothing NACKed', async () => {
    const synced = await eventually(async () => {
      const statuses = await syncz(cp!);
      return [GATEWAY_ID, CLIENT_ID].every((id) => {
        const status = statuses.find((s) => s.proxy === id);
        const served = status?.types.filter((t) => ['LDS', 'RDS', 'CDS', 'EDS'].includes(t.type)) ?? [];
        return served.length === 4 && served.every((t) => t.status === 'SYNCED');
      });
    }, 10_000);
    const statuses = await syncz(cp!);
    const summary = statuses.map((s) => ({
      proxy: s.proxy,
      types: s.types.map((t) => `${t.type}:${t.status}${t.lastError ? ` (${t.lastError.message})` : ''}`),
    }));
    assert.ok(synced, `not SYNCED within 10 s: ${JSON.stringify(summary, null, 2)}`);
    for (const id of [GATEWAY_ID, CLIENT_ID]) {
      const status = statuses.find((s) => s.proxy === id);
      assert.ok(status, `${id} missing from /debug/syncz`);
      assert.deepEqual(
        status.types.filter((t) => t.rejects > 0 || t.lastError).map((t) => t.type),
        [],
        `${id} NACKed nothing`,
      );
    }
  });
});
