// A config the proxy cannot apply, from the real control plane: a VirtualService whose URI regex is valid
// RE2 (so the API accepts it and the translator emits it) but nests quantifiers, which the proxy refuses
// because JavaScript regexes backtrack. The gateway NACKs the route configuration with a precise
// error_detail, keeps serving on the last good config, the control plane shows the NACK in /debug/syncz,
// and the corrected VirtualService is then ACKed and served.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane, ProxyStatus } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import {
  apply,
  boundPort,
  closeClients,
  controlPlane,
  eventually,
  GATEWAY_ID,
  get,
  removeDir,
  startGateway,
  statValue,
  syncz,
  tempDataDir,
  who,
  type Target,
} from './support/mesh.ts';
import {
  documents,
  FRONTEND,
  PRODUCTS,
  serviceEntry,
  SHOP_GATEWAY,
  SHOP_HOST,
  workloadEntry,
} from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

/** The shop's routes, with an `/items/...` route matched by `itemsRegex` when given. */
function shopRoutes(itemsRegex?: string): string {
  const items =
    itemsRegex === undefined
      ? ''
      : `    - name: items
      match: [{ uri: { regex: '${itemsRegex}' } }]
      route: [{ destination: { host: ${PRODUCTS}, port: { number: 80 } } }]
`;
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: istio-system }
spec:
  hosts: [${SHOP_HOST}]
  gateways: [istio-system/shop-gateway]
  http:
${items}    - name: web
      match: [{ uri: { prefix: / } }]
      route: [{ destination: { host: ${FRONTEND}, port: { number: 80 } } }]
`;
}

/** Valid RE2 (no backtracking there), refused by the proxy: `([a-z]+/)+` nests quantifiers. */
const NESTED_REGEX = '/items/([a-z]+/)+[0-9]+';
const FIXED_REGEX = '/items/[a-z/]+[0-9]+';

function rdsStatus(statuses: readonly ProxyStatus[]) {
  return statuses.find((s) => s.proxy === GATEWAY_ID)?.types.find((t) => t.type === 'RDS');
}

describe('a config the proxy refuses, from the real control plane', { timeout: 60_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let gateway: Proxy | undefined;
  const upstreams: Upstream[] = [];
  let shop: Target;

  before(async () => {
    dataDir = await tempDataDir('proxy-nack');
    cp = await controlPlane(dataDir);
    const [frontend, products] = await Promise.all([
      startUpstream('frontend', 'v1'),
      startUpstream('products', 'v1'),
    ]);
    upstreams.push(frontend, products);
    await apply(
      cp,
      documents(
        serviceEntry('frontend', FRONTEND),
        serviceEntry('products', PRODUCTS),
        workloadEntry('frontend-v1', 'frontend', 'v1', frontend.port),
        workloadEntry('products-v1', 'products', 'v1', products.port),
        SHOP_GATEWAY,
        shopRoutes(),
      ),
    );
    gateway = await startGateway(cp.xdsPort);
    shop = { port: await boundPort(gateway, '0.0.0.0_80'), style: 'host', host: SHOP_HOST };
  });

  after(async () => {
    closeClients();
    await gateway?.close();
    await cp?.close();
    await Promise.all(upstreams.map((u) => u.kill()));
    await removeDir(dataDir);
  });

  it('NACKs the route configuration with a precise error, keeps serving, and ACKs the fix', async () => {
    assert.equal(who(await get(shop, '/items/a/b/1')), 'frontend-v1', 'before: the web route serves it');
    const synced = await eventually(async () => rdsStatus(await syncz(cp!))?.status === 'SYNCED', 10_000);
    assert.ok(synced, 'the gateway ACKed the first route configuration');
    const rejectedBefore = await statValue(gateway!, 'rds.update_rejected');

    // The API accepts the regex: it is valid RE2.
    await apply(cp!, shopRoutes(NESTED_REGEX));
    const nacked = await eventually(async () => rdsStatus(await syncz(cp!))?.status === 'NACKED', 10_000);
    const rds = rdsStatus(await syncz(cp!));
    assert.ok(nacked, `RDS not NACKed: ${JSON.stringify(rds)}`);
    const message = rds?.lastError?.message ?? '';
    assert.match(message, /nests quantifiers/, message);
    assert.ok(message.includes(JSON.stringify(NESTED_REGEX)), `names the regex: ${message}`);
    assert.match(message, /\b80\b/, `names the route configuration: ${message}`);
    assert.ok((rds?.rejects ?? 0) >= 1);
    assert.ok((await statValue(gateway!, 'rds.update_rejected')) > rejectedBefore, 'counted by the proxy');

    // The last good config stays in force, whole: the web route still serves every path.
    for (const path of ['/', '/items/a/b/1', '/other']) {
      assert.equal(who(await get(shop, path)), 'frontend-v1', path);
    }

    // The corrected regex is accepted and served.
    await apply(cp!, shopRoutes(FIXED_REGEX));
    const acked = await eventually(async () => {
      const status = rdsStatus(await syncz(cp!));
      return status?.status === 'SYNCED' && status.ackedVersion === status.sentVersion;
    }, 10_000);
    assert.ok(acked, `fix not ACKed: ${JSON.stringify(rdsStatus(await syncz(cp!)))}`);
    const served = await eventually(
      async () => who(await get(shop, '/items/a/b/1')) === 'products-v1',
      10_000,
    );
    assert.ok(served, 'the fixed route serves /items/...');
    assert.equal(who(await get(shop, '/other')), 'frontend-v1');
    // The refusal stays on record after the ACK, for proxy-status.
    assert.match(rdsStatus(await syncz(cp!))?.lastError?.message ?? '', /nests quantifiers/);
  });
});
