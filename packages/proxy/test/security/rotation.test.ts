// Certificates that come and go under traffic: workload certificates renewed every couple of seconds, a root
// rotated through a two-root trust bundle, and an expired certificate with the CA down — which must fail
// closed (no plaintext, no stale identity) and recover once the CA answers again.
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { SECRET_TYPE_URL } from '@heddle/xds';
import { call } from '../admin/support/http.ts';
import { serveRoots } from './support/mesh-xds.ts';
import { createRoot } from './support/test-mesh-ca.ts';
import { certSerials, IDENTITY_A, startTwoSidecars, type TwoSidecars } from './support/two-sidecars.ts';

const FAST_ROTATION = { renewRatio: 0.5, jitterRatio: 0.05, retryBaseMs: 100, retryCapMs: 500 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sequential requests through the client sidecar until `stop()`; at most `max` of them. */
function trafficLoop(port: number, max = 3000) {
  let running = true;
  const outcomes = { ok: 0, failed: [] as string[] };
  const done = (async () => {
    for (let i = 0; running && i < max; i++) {
      try {
        const reply = await call(port, `/r${i}`);
        if (reply.status === 200) outcomes.ok++;
        else outcomes.failed.push(`#${i}: ${reply.status} ${reply.body.slice(0, 200)}`);
      } catch (error) {
        outcomes.failed.push(`#${i}: ${(error as Error).message}`);
      }
    }
  })();
  return {
    outcomes,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('workload certificate rotation under traffic', { timeout: 60_000 }, () => {
  let mesh: TwoSidecars;
  before(async () => {
    mesh = await startTwoSidecars({
      mode: 'STRICT',
      ttlMs: 4000,
      rotation: FAST_ROTATION,
      freshConnections: true,
    });
  });
  after(() => mesh.close());

  it('renews both sidecars several times without losing a request', async () => {
    const seenA = new Set<string>();
    const seenB = new Set<string>();
    const loop = trafficLoop(mesh.outboundPort);
    const deadline = Date.now() + 9000;
    while (Date.now() < deadline) {
      for (const serial of await certSerials(mesh.a.adminPort, 'default')) seenA.add(serial);
      for (const serial of await certSerials(mesh.b.adminPort, 'default')) seenB.add(serial);
      await sleep(250);
    }
    await loop.stop();
    assert.deepEqual(loop.outcomes.failed, []);
    assert.ok(loop.outcomes.ok > 20, `only ${loop.outcomes.ok} requests`);
    assert.ok(seenA.size >= 3, `client certificates seen: ${seenA.size}`);
    assert.ok(seenB.size >= 3, `server certificates seen: ${seenB.size}`);
  });
});

describe('root rotation through a two-root trust bundle', { timeout: 60_000 }, () => {
  let mesh: TwoSidecars;
  before(async () => {
    mesh = await startTwoSidecars({
      mode: 'STRICT',
      ttlMs: 3000,
      rootsOverAds: true,
      rotation: FAST_ROTATION,
      freshConnections: true,
    });
  });
  after(() => mesh.close());

  it('moves both sidecars to the new root without losing a request', async () => {
    const oldRoot = mesh.ca.root;
    const newRoot = await createRoot('heddle-test-root-2');
    const loop = trafficLoop(mesh.outboundPort);
    await sleep(500);
    // 1. Both roots trusted everywhere.
    const acked = async (ads: TwoSidecars['adsA']) => {
      const version = ads.version(SECRET_TYPE_URL);
      await ads.waitFor(
        (r) => r.typeUrl === SECRET_TYPE_URL && r.kind === 'ack' && r.versionInfo === version,
      );
    };
    serveRoots(mesh.adsA, [oldRoot.pem, newRoot.pem]);
    serveRoots(mesh.adsB, [oldRoot.pem, newRoot.pem]);
    await Promise.all([acked(mesh.adsA), acked(mesh.adsB)]);
    // 2. The CA signs with the new root; wait until both sidecars hold a certificate issued after the switch.
    const before = {
      a: (await certSerials(mesh.a.adminPort, 'default'))[0],
      b: (await certSerials(mesh.b.adminPort, 'default'))[0],
    };
    mesh.ca.root = newRoot;
    await until(
      async () =>
        (await certSerials(mesh.a.adminPort, 'default'))[0] !== before.a &&
        (await certSerials(mesh.b.adminPort, 'default'))[0] !== before.b,
      10_000,
      'certificates from the new root',
    );
    await sleep(500);
    // 3. The old root is withdrawn.
    serveRoots(mesh.adsA, [newRoot.pem]);
    serveRoots(mesh.adsB, [newRoot.pem]);
    await Promise.all([acked(mesh.adsA), acked(mesh.adsB)]);
    await sleep(1500);
    await loop.stop();
    assert.deepEqual(loop.outcomes.failed, []);
    assert.ok(loop.outcomes.ok > 10, `only ${loop.outcomes.ok} requests`);
    // A certificate from the withdrawn root is no longer accepted.
    mesh.ca.root = oldRoot;
    const stale = await mesh.ca.issue(IDENTITY_A);
    mesh.ca.root = newRoot;
    const refused = await tlsExchange(mesh.inboundPort, stale, newRoot.pem);
    assert.doesNotMatch(refused, /HTTP\/1\.1/);
  });
});

describe('an expired certificate with the CA down', { timeout: 60_000 }, () => {
  let mesh: TwoSidecars;
  before(async () => {
    mesh = await startTwoSidecars({
      mode: 'STRICT',
      ttlMs: 2000,
      rotation: FAST_ROTATION,
      freshConnections: true,
    });
  });
  after(() => mesh.close());

  it('fails closed while expired and recovers when the CA is back', async () => {
    assert.equal((await call(mesh.outboundPort, '/before')).status, 200);
    mesh.ca.down();
    await until(
      async () => (await certSerials(mesh.b.adminPort, 'default')).length === 0,
      10_000,
      'the server certificate to expire',
    );
    await until(
      async () => (await certSerials(mesh.a.adminPort, 'default')).length === 0,
      10_000,
      'the client certificate to expire',
    );
    const seen = mesh.appRequests.length;
    const viaSidecar = await call(mesh.outboundPort, '/expired');
    assert.equal(viaSidecar.status, 503);
    // A client with a perfectly good certificate gets no TLS session from a server whose own one lapsed.
    const client = await mesh.ca.issue(IDENTITY_A, 60_000);
    assert.doesNotMatch(await tlsExchange(mesh.inboundPort, client, mesh.ca.root.pem), /HTTP\/1\.1/);
    // Nor does plaintext get through.
    assert.doesNotMatch(await plainExchange(mesh.inboundPort), /HTTP\/1\.1/);
    assert.equal(mesh.appRequests.length, seen);
    await mesh.ca.up();
    await until(async () => (await call(mesh.outboundPort, '/again')).status === 200, 15_000, 'recovery');
  });
});

function collect(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.write(request);
    socket.end();
  });
}

function tlsExchange(port: number, pair: { cert: string; key: string }, ca: string): Promise<string> {
  const socket = tlsConnect({
    port,
    host: '127.0.0.1',
    cert: pair.cert,
    key: pair.key,
    ca,
    checkServerIdentity: () => undefined,
  });
  return collect(socket, 'GET /direct HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
}

function plainExchange(port: number): Promise<string> {
  return collect(
    netConnect(port, '127.0.0.1'),
    'GET /plain HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n',
  );
}
