// Gateways on one machine with real certificates: the seeds' ecommerce Gateway (httpsRedirect on 80, HTTPS
// SIMPLE on 443 with credentialName) plus HTTP, a second SNI certificate on 443, MUTUAL with a client CA and
// PASSTHROUGH, the certificates held by the control plane's local secret store and rotated in place; and egress
// through an egress gateway under REGISTRY_ONLY. Real clients: curl, openssl s_client, node:http.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import { createTestPki, type TestPki } from '@heddle/testkit';
import {
  apply,
  boundPort,
  closeClients,
  controlPlane,
  eventually,
  freePort,
  get,
  removeDir,
  startClientSidecar,
  gatewayJoinToken,
  startGateway,
  statValue,
  tempDataDir,
  type Target,
} from './support/mesh.ts';
import {
  curlHttps,
  heddle,
  servedCertificate,
  startEgressGateway,
  startTlsUpstream,
  type TlsUpstream,
} from './support/gateway-peers.ts';
import { documents, serviceEntry, workloadEntry } from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

const SEEDS = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'seed-configs');
/** The seeds' ecommerce Gateway: shop.example.com, httpsRedirect on 80, SIMPLE on 443 with `shop-example-cert`. */
const SEED_GATEWAY = readFileSync(join(SEEDS, '000-27-gateway.yaml'), 'utf8');

const WEB = 'web.shop.test';
const API = 'api.shop.test';
const SECURE = 'secure.shop.test';
const EXTERNAL = 'api.external.test';

const SHOP_ROUTES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: ecommerce }
spec:
  hosts: [shop.example.com]
  gateways: [ecommerce/ecommerce-gateway]
  http:
    - route: [{ destination: { host: ${WEB}, port: { number: 80 } } }]
`;

const EDGE_GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 8080, name: http-plain, protocol: HTTP }
      hosts: [plain.example.com]
    - port: { number: 443, name: https-api, protocol: HTTPS }
      hosts: [api.example.com]
      tls: { mode: SIMPLE, credentialName: api-example-cert }
    - port: { number: 8443, name: https-partners, protocol: HTTPS }
      hosts: [partners.example.com]
      tls: { mode: MUTUAL, credentialName: partners-cert }
    - port: { number: 9443, name: tls-secure, protocol: TLS }
      hosts: [secure.example.com]
      tls: { mode: PASSTHROUGH }
`;

const EDGE_ROUTES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: edge-web, namespace: istio-system }
spec:
  hosts: [plain.example.com, partners.example.com]
  gateways: [edge]
  http:
    - route: [{ destination: { host: ${WEB}, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: edge-api, namespace: istio-system }
spec:
  hosts: [api.example.com]
  gateways: [edge]
  http:
    - route: [{ destination: { host: ${API}, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: edge-secure, namespace: istio-system }
spec:
  hosts: [secure.example.com]
  gateways: [edge]
  tls:
    - match: [{ port: 9443, sniHosts: [secure.example.com] }]
      route: [{ destination: { host: ${SECURE}, port: { number: 443 } } }]
`;

function externalService(
  name: string,
  host: string,
  port: number,
  protocol: 'HTTP' | 'TLS',
  target: number,
): string {
  const portName = protocol.toLowerCase();
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: default }
spec:
  hosts: [${host}]
  location: MESH_EXTERNAL
  resolution: STATIC
  ports: [{ number: ${port}, name: ${portName}, protocol: ${protocol} }]
  endpoints: [{ address: 127.0.0.1, ports: { ${portName}: ${target} } }]
`;
}

describe('gateways with certificates from the local secret store', { timeout: 180_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let gateway: Proxy | undefined;
  let pki: TestPki;
  const upstreams: Upstream[] = [];
  let secure: TlsUpstream | undefined;
  let web: Upstream;
  let api: Upstream;
  const pem = (name: string): string => join(pki.dir, name);
  const controlPlaneArgs = (): string[] => ['--control-plane', `http://127.0.0.1:${cp?.httpPort}`];

  async function storeSecret(body: Record<string, string>, overwrite = false): Promise<void> {
    const response = await fetch(
      `http://127.0.0.1:${cp?.httpPort}/apis/v1/secrets${overwrite ? '?overwrite=true' : ''}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    assert.ok(response.status === 201 || response.status === 200, await response.text());
  }

  before(async () => {
    pki = createTestPki('gateways');
    pki.ca('server-ca');
    pki.ca('client-ca');
    pki.issue('shop', 'server-ca', 'DNS:shop.example.com');
    pki.issue('shop-rotated', 'server-ca', 'DNS:shop.example.com');
    const apiPair = pki.issue('api', 'server-ca', 'DNS:api.example.com');
    const partners = pki.issue('partners', 'server-ca', 'DNS:partners.example.com');
    pki.issue('client', 'client-ca', 'DNS:client.example.com');
    pki.issue('stranger', 'server-ca', 'DNS:stranger.example.com');
    const securePair = pki.issue('secure', 'server-ca', 'DNS:secure.example.com');

    dataDir = await tempDataDir('gateways');
    cp = await controlPlane(dataDir);
    [web, api] = await Promise.all([startUpstream('web', 'v1'), startUpstream('api', 'v1')]);
    upstreams.push(web, api);
    secure = await startTlsUpstream('secure', securePair.cert, securePair.key);

    // The seeds' credential comes in through the CLI, as a user would store it; the others through the API.
    const created = await heddle([
      'create',
      'secret',
      'tls',
      'shop-example-cert',
      '--cert',
      pem('shop.crt'),
      '--key',
      pem('shop.key'),
      ...controlPlaneArgs(),
    ]);
    assert.equal(created.code, 0, created.stderr);
    await storeSecret({ name: 'api-example-cert', certificateChain: apiPair.cert, privateKey: apiPair.key });
    await storeSecret({
      name: 'partners-cert',
      certificateChain: partners.cert,
      privateKey: partners.key,
      caCertificate: readFileSync(pem('client-ca.crt'), 'utf8'),
    });

    await apply(
      cp,
      documents(
        serviceEntry('web', WEB),
        serviceEntry('api', API),
        workloadEntry('web-v1', 'web', 'v1', web.port),
        workloadEntry('api-v1', 'api', 'v1', api.port),
        externalService('secure', SECURE, 443, 'TLS', secure.port),
        SEED_GATEWAY,
        SHOP_ROUTES,
        EDGE_GATEWAY,
        EDGE_ROUTES,
      ),
    );
    gateway = await startGateway(cp.xdsPort, await gatewayJoinToken(cp));
  });

  after(async () => {
    closeClients();
    await gateway?.close();
    await cp?.close();
    await Promise.all(upstreams.map((u) => u.kill()));
    await secure?.close();
    pki.remove();
    await removeDir(dataDir);
  });

  const port = (listener: string): Promise<number> => boundPort(gateway as Proxy, listener);

  it('HTTP: a plaintext server routes by Host to its service', async () => {
    const target: Target = { port: await port('0.0.0.0_8080'), style: 'host', host: 'plain.example.com' };
    const reply = await get(target, '/hello');
    assert.equal(reply.status, 200, reply.body);
    assert.equal((JSON.parse(reply.body) as { service: string }).service, 'web');
  });

  it('httpsRedirect (seed 000-27): plain HTTP on 80 is answered 301 to https', async () => {
    const target: Target = { port: await port('0.0.0.0_80'), style: 'host', host: 'shop.example.com' };
    const before = web.counts.requests;
    const reply = await get(target, '/cart?id=1');
    assert.equal(reply.status, 301);
    assert.equal(reply.headers.location, 'https://shop.example.com/cart?id=1');
    assert.equal(web.counts.requests, before, 'the redirect never reaches the service');
  });

  it('HTTPS SIMPLE (seed 000-27): curl verifies the stored certificate for shop.example.com and gets 200', async () => {
    const reply = await curlHttps('shop.example.com', await port('0.0.0.0_443'), '/products', {
      caFile: pem('server-ca.crt'),
    });
    assert.equal(reply.code, 0, reply.stderr);
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(
      { service: (JSON.parse(reply.body) as { service: string }).service },
      { service: 'web' },
    );
  });

  it('SNI: two credentials on one port, each host gets its own certificate', async () => {
    const https = await port('0.0.0.0_443');
    assert.equal((await servedCertificate(https, 'shop.example.com'))?.subject, 'CN=shop');
    assert.equal((await servedCertificate(https, 'api.example.com'))?.subject, 'CN=api');
    const reply = await curlHttps('api.example.com', https, '/v1', { caFile: pem('server-ca.crt') });
    assert.equal(reply.status, 200, reply.stderr);
    assert.equal((JSON.parse(reply.body) as { service: string }).service, 'api');
  });

  it('MUTUAL: no client certificate is refused in the handshake; one from the client CA gets 200', async () => {
    const mutual = await port('0.0.0.0_8443');
    const before = web.counts.requests;
    const anonymous = await curlHttps('partners.example.com', mutual, '/', { caFile: pem('server-ca.crt') });
    assert.notEqual(anonymous.code, 0, 'curl fails without a client certificate');
    assert.equal(anonymous.status, 0, anonymous.stderr);
    const stranger = await curlHttps('partners.example.com', mutual, '/', {
      caFile: pem('server-ca.crt'),
      cert: pem('stranger.crt'),
      key: pem('stranger.key'),
    });
    assert.equal(stranger.status, 0, 'a certificate from another CA is refused too');
    assert.equal(web.counts.requests, before, 'nothing reached the service');
    const client = await curlHttps('partners.example.com', mutual, '/', {
      caFile: pem('server-ca.crt'),
      cert: pem('client.crt'),
      key: pem('client.key'),
    });
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.status, 200, client.body);
  });

  it('PASSTHROUGH: TLS is routed by SNI to an upstream that terminates it with its own certificate', async () => {
    const passthrough = await port('0.0.0.0_9443');
    assert.equal((await servedCertificate(passthrough, 'secure.example.com'))?.subject, 'CN=secure');
    const reply = await curlHttps('secure.example.com', passthrough, '/vault', {
      caFile: pem('server-ca.crt'),
    });
    assert.equal(reply.status, 200, reply.stderr);
    assert.deepEqual(JSON.parse(reply.body), {
      service: 'secure',
      sni: 'secure.example.com',
      path: '/vault',
    });
    const unknown = await curlHttps('other.example.com', passthrough, '/', { caFile: pem('server-ca.crt') });
    assert.equal(unknown.status, 0, 'an SNI no route names gets no connection');
  });

  it('rotation: replacing the secret serves the new certificate to new handshakes, with no restart', async () => {
    const https = await port('0.0.0.0_443');
    const rotated = await heddle([
      'create',
      'secret',
      'tls',
      'shop-example-cert',
      '--cert',
      pem('shop-rotated.crt'),
      '--key',
      pem('shop-rotated.key'),
      '--overwrite',
      ...controlPlaneArgs(),
    ]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /secret\/shop-example-cert replaced/);
    const served = await eventually(
      async () => (await servedCertificate(https, 'shop.example.com'))?.subject === 'CN=shop-rotated',
      15_000,
    );
    assert.ok(served, 'the rotated certificate is served');
    assert.equal(await port('0.0.0.0_443'), https, 'same listener, same port');
    assert.equal(
      (await servedCertificate(https, 'api.example.com'))?.subject,
      'CN=api',
      'the other host is untouched',
    );
    const reply = await curlHttps('shop.example.com', https, '/', { caFile: pem('server-ca.crt') });
    assert.equal(reply.status, 200, reply.stderr);
  });

  it('a deleted credential stops its server only; the gateway keeps serving the others', async () => {
    const listed = await heddle(['get', 'secrets', ...controlPlaneArgs()]);
    assert.match(listed.stdout, /^api-example-cert\s+kubernetes\.io\/tls\s+2\s+api\.example\.com\s/m);
    const deleted = await heddle(['delete', 'secret', 'api-example-cert', ...controlPlaneArgs()]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const https = await port('0.0.0.0_443');
    const gone = await eventually(
      async () => (await servedCertificate(https, 'api.example.com'))?.subject !== 'CN=api',
      15_000,
    );
    assert.ok(gone, 'api.example.com is no longer served with its certificate');
    const shop = await curlHttps('shop.example.com', https, '/', { caFile: pem('server-ca.crt') });
    assert.equal(shop.status, 200, shop.stderr);
  });

  describe('egress through an egress gateway under REGISTRY_ONLY', () => {
    let egress: Proxy | undefined;
    let sidecar: Proxy | undefined;
    let external: Upstream;
    let client: (host: string) => Target;

    before(async () => {
      external = await startUpstream('external', 'v1');
      upstreams.push(external);
      await apply(
        cp as ControlPlane,
        documents(
          `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
`,
          externalService('external-api', EXTERNAL, 80, 'HTTP', external.port),
          `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: egress, namespace: istio-system }
spec:
  selector: { istio: egressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: [${EXTERNAL}]
`,
        ),
      );
      egress = await startEgressGateway((cp as ControlPlane).xdsPort);
      const egressPort = await boundPort(egress, '0.0.0.0_80');
      await apply(
        cp as ControlPlane,
        documents(
          `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: istio-egressgateway, namespace: istio-system }
spec:
  hosts: [istio-egressgateway.istio-system.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP }]
  endpoints:
    - address: 127.0.0.1
      ports: { http: ${egressPort} }
      labels: { istio: egressgateway, security.istio.io/tlsMode: disabled }
`,
          `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: external-via-egress, namespace: istio-system }
spec:
  hosts: [${EXTERNAL}]
  gateways: [mesh, egress]
  http:
    - match: [{ gateways: [mesh], port: 80 }]
      route: [{ destination: { host: istio-egressgateway.istio-system.svc.cluster.local, port: { number: 80 } } }]
    - match: [{ gateways: [egress], port: 80 }]
      route: [{ destination: { host: ${EXTERNAL}, port: { number: 80 } } }]
`,
        ),
      );
      const outboundPort = await freePort();
      sidecar = await startClientSidecar((cp as ControlPlane).xdsPort, outboundPort);
      client = (host) => ({ port: outboundPort, style: 'proxy', host });
    });

    after(async () => {
      await Promise.all([sidecar?.close(), egress?.close()]);
    });

    it('the registered external host is reached, through the egress gateway', async () => {
      const stat = `cluster.outbound|80||${EXTERNAL}.upstream_rq_total`;
      const before = await statValue(egress as Proxy, stat);
      const reached = await eventually(
        async () => (await get(client(EXTERNAL), '/quote')).status === 200,
        15_000,
      );
      assert.ok(reached, `${EXTERNAL} answers through the mesh`);
      const reply = await get(client(EXTERNAL), '/quote');
      assert.equal(reply.status, 200, reply.body);
      const seen = JSON.parse(reply.body) as { service: string; host: string; path: string };
      assert.deepEqual([seen.service, seen.host, seen.path], ['external', EXTERNAL, '/quote']);
      assert.ok(
        (await statValue(egress as Proxy, stat)) >= before + 2,
        'the egress gateway carried the requests',
      );
    });

    it('a host outside the registry gets 502 from the sidecar, and nothing leaves', async () => {
      const before = external.counts.requests;
      const reply = await get(client('unknown.external.test'), '/');
      assert.equal(reply.status, 502, reply.body);
      assert.equal(external.counts.requests, before);
    });
  });
});
