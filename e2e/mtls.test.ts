// Real mutual TLS across the stack: the control plane's CA certifies two sidecars (join tokens from a workload
// registration and from POST /apis/v1/tokens), sends ROOTCA over ADS, and the seeds' PeerAuthentications
// switch the server's inbound port between PERMISSIVE (the default) and STRICT.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import {
  apply,
  closeClients,
  controlPlane,
  freePort,
  get,
  removeDir,
  tempDataDir,
  type Target,
} from './support/mesh.ts';
import { joinToken, registerWithToken, startMtlsSidecar, until } from './support/mtls-mesh.ts';
import { SEED_CONFIGS_DIR } from './support/seed-configs-dir.ts';
import { serviceEntry } from './support/shop-mesh.ts';
import { startUpstream, type Upstream } from './support/upstream.ts';

const SEEDS = SEED_CONFIGS_DIR;
const REVIEWS = 'reviews.default.svc.cluster.local';
const CLIENT_ID = 'spiffe://cluster.local/ns/default/sa/client';
const REVIEWS_ID = 'spiffe://cluster.local/ns/default/sa/reviews';

/** Writes one raw HTTP request and collects what comes back until the peer closes. */
function exchange(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    // No half-close: a proxy may take the client's FIN as an abort; `Connection: close` ends the exchange.
    socket.write(`GET /direct HTTP/1.1\r\nHost: ${REVIEWS}\r\nConnection: close\r\n\r\n`);
  });
}

describe('mTLS between sidecars with the control plane CA', { timeout: 120_000 }, () => {
  let dataDir: string | undefined;
  let cp: ControlPlane | undefined;
  let app: Upstream | undefined;
  let server: Proxy | undefined;
  let client: Proxy | undefined;
  let inboundPort = 0;
  let reviews: Target;

  before(async () => {
    dataDir = await tempDataDir('mtls');
    cp = await controlPlane(dataDir);
    app = await startUpstream('reviews', 'v1');
    inboundPort = await freePort();
    await apply(cp, serviceEntry('reviews', REVIEWS));
    const serverToken = await registerWithToken(cp, {
      name: 'reviews-1',
      namespace: 'default',
      address: '127.0.0.1',
      ports: { http: inboundPort },
      labels: { app: 'reviews' },
      serviceAccount: 'reviews',
    });
    server = await startMtlsSidecar(cp, {
      workload: 'reviews-1',
      namespace: 'default',
      serviceAccount: 'reviews',
      labels: { app: 'reviews' },
      outboundPort: await freePort(),
      appPorts: `${inboundPort}=${app.port}`,
      token: serverToken,
    });
    const outboundPort = await freePort();
    client = await startMtlsSidecar(cp, {
      workload: 'client',
      namespace: 'default',
      serviceAccount: 'client',
      labels: { app: 'client' },
      outboundPort,
      token: await joinToken(cp, 'default', 'client'),
    });
    reviews = { port: outboundPort, style: 'proxy', host: REVIEWS };
  });

  after(async () => {
    closeClients();
    await Promise.all([client?.close(), server?.close()]);
    await cp?.close();
    await app?.kill();
    await removeDir(dataDir);
  });

  const xfccSeen = (body: string): string | undefined =>
    (JSON.parse(body) as { headers: Record<string, string> }).headers['x-forwarded-client-cert'];

  it('PERMISSIVE by default: the client sidecar talks mTLS and the app sees its SPIFFE identity', async () => {
    // seed 000-10 makes another namespace PERMISSIVE; nothing changes for `default`.
    await apply(cp as ControlPlane, readFileSync(`${SEEDS}/000-10-peerauthentication.yaml`, 'utf8'));
    const reply = await until(
      () => get(reviews, '/hello'),
      (r) => r.status === 200,
      15_000,
      'a 200 through the sidecars',
    );
    assert.match(xfccSeen(reply.body) ?? '', new RegExp(`URI=${CLIENT_ID.replaceAll('/', '\\/')}`));
  });

  it('PERMISSIVE also takes plaintext on the same port, with no identity', async () => {
    const raw = await exchange(netConnect(inboundPort, '127.0.0.1'));
    assert.match(raw, /^HTTP\/1\.1 200/);
    assert.doesNotMatch(raw, /x-forwarded-client-cert/i);
  });

  it('presents the workload certificate issued by the mesh CA (openssl s_client)', async () => {
    // The server's certificate comes in its first flight, before it asks for the client's.
    const output = await new Promise<string>((resolve) => {
      const child = execFile(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${inboundPort}`, '-servername', 'outbound_.80_._.' + REVIEWS],
        { timeout: 10_000 },
        (_error, stdout) => resolve(stdout),
      );
      child.stdin?.end();
    });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0];
    assert.ok(pem, output);
    assert.equal(new X509Certificate(pem).subjectAltName, `URI:${REVIEWS_ID}`);
  });

  it('STRICT from the mesh-wide seed: plaintext is refused, sidecar mTLS still flows', async () => {
    await apply(cp as ControlPlane, readFileSync(`${SEEDS}/000-09-peerauthentication.yaml`, 'utf8'));
    await until(
      () => exchange(netConnect(inboundPort, '127.0.0.1')),
      (raw) => !raw.startsWith('HTTP/1.1'),
      15_000,
      'plaintext to be refused',
    );
    const before = app?.counts.requests ?? 0;
    assert.doesNotMatch(await exchange(netConnect(inboundPort, '127.0.0.1')), /HTTP\/1\.1/);
    assert.equal(app?.counts.requests, before);
    const reply = await get(reviews, '/strict');
    assert.equal(reply.status, 200);
    assert.match(xfccSeen(reply.body) ?? '', /URI=spiffe:\/\/cluster\.local\/ns\/default\/sa\/client/);
  });
});
