// Certificate and root rotation under load, through the whole stack: sidecars whose workload certificates live a
// few seconds renew them while a bounded client loop runs, and a root rotation (prepare → activate → finish)
// runs under the same loop. No request may be lost in either.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { call, closeClients } from './support/mesh.ts';
import {
  settle,
  startClient,
  startSecureMesh,
  startServer,
  type ClientWorkload,
  type SecureMesh,
  type ServerWorkload,
} from './support/security-mesh.ts';

/** The certificate a sidecar's inbound port presents (its workload certificate). */
function presented(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => socket.destroy(new Error('no handshake within 5 s')), 5_000);
    socket.on('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate(false).raw;
      socket.destroy();
      resolve(new X509Certificate(raw));
    });
    socket.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

interface LoopResult {
  readonly sent: number;
  readonly failures: string[];
}

/** `workers` sequential request loops through the client sidecar until `stop` resolves; every non-200 noted. */
async function loop(
  client: ClientWorkload,
  host: string,
  stop: Promise<void>,
  workers = 4,
): Promise<LoopResult> {
  let done = false;
  void stop.then(() => (done = true));
  let sent = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!done && sent < 20_000) {
        sent += 1;
        const reply = await call(client.to(host), 'GET', '/rotation');
        if (reply.status !== 200) failures.push(`${reply.status} ${reply.body.slice(0, 120)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  );
  return { sent, failures };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function rotate(mesh: SecureMesh, phase: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/apis/v1/ca/root-rotate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phase }),
  });
  assert.equal(response.status, 200, await response.text());
}

const TTL_SECONDS = 4;

/** CSRs the CA has signed so far (`citadel_server_csr_count`). */
async function csrCount(mesh: SecureMesh): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('citadel_server_csr_count '));
  return Number(line?.split(' ')[1] ?? NaN);
}

describe('rotation under load', { timeout: 120_000 }, () => {
  let mesh: SecureMesh;
  let server: ServerWorkload;
  let client: ClientWorkload;

  before(async () => {
    mesh = await startSecureMesh('rotation', { ca: { workloadCertTtlSeconds: TTL_SECONDS } });
    server = await startServer(mesh, {
      app: 'ledger',
      namespace: 'default',
      certificateTtl: `${TTL_SECONDS}s`,
    });
    client = await startClient(mesh, {
      namespace: 'default',
      serviceAccount: 'teller',
      certificateTtl: `${TTL_SECONDS}s`,
    });
    // STRICT: a failed handshake could not fall back to plaintext and hide a rotation problem.
    await mesh.apply(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
`);
    await settle(
      () => call(client.to(server.host), 'GET', '/'),
      (r) => r.status === 200,
      'mTLS traffic',
    );
  });

  after(async () => {
    closeClients();
    await client?.close();
    await server?.close();
    await mesh?.close();
  });

  it(`renews ${TTL_SECONDS} s workload certificates without losing a request`, async () => {
    const first = await presented(server.inboundPort);
    const csrsBefore = await csrCount(mesh);
    const result = await loop(client, server.host, sleep(TTL_SECONDS * 3_000));
    const last = await presented(server.inboundPort);
    // Two workloads renewing at about half of a 4 s life for 12 s: a dozen CSRs, not a renewal storm.
    const csrs = (await csrCount(mesh)) - csrsBefore;
    assert.ok(csrs >= 4 && csrs <= 30, `${csrs} CSRs in ${TTL_SECONDS * 3} s`);
    assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.sent} failed`);
    assert.ok(result.sent > 50, `only ${result.sent} requests were sent`);
    assert.notEqual(last.serialNumber, first.serialNumber, 'the server certificate was renewed');
    assert.ok(Date.parse(first.validTo) < Date.now(), 'the first certificate has expired meanwhile');
    assert.ok(Date.parse(last.validTo) > Date.now(), 'the current certificate is valid');
    assert.equal(last.subjectAltName, 'URI:spiffe://cluster.local/ns/default/sa/ledger');
  });

  it('rotates the root (prepare → activate → finish) without losing a request', async () => {
    const before = await presented(server.inboundPort);
    let finish!: () => void;
    const stop = new Promise<void>((resolve) => (finish = resolve));
    const running = loop(client, server.host, stop);
    await sleep(1_000);
    await rotate(mesh, 'prepare');
    // The new root reaches every proxy's trust bundle before it signs anything.
    await sleep(2_000);
    await rotate(mesh, 'activate');
    // Every workload renews (at most one certificate lifetime) before the old root leaves the bundle.
    await sleep(TTL_SECONDS * 1_000 + 2_000);
    await rotate(mesh, 'finish');
    await sleep(3_000);
    finish();
    const result = await running;
    assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.sent} failed`);
    assert.ok(result.sent > 50, `only ${result.sent} requests were sent`);
    const after = await presented(server.inboundPort);
    assert.notEqual(after.issuer, '', 'the certificate names its issuer');
    const roots = (await (await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/apis/v1/ca/roots`)).json()) as {
      roots: { pem: string }[];
    };
    assert.equal(roots.roots.length, 1, 'only the new root is left in the bundle');
    const newRoot = new X509Certificate(roots.roots[0]?.pem ?? '');
    assert.ok(after.verify(newRoot.publicKey), 'the server certificate is signed by the new root');
    assert.ok(
      !before.verify(newRoot.publicKey),
      'the certificate before the rotation was signed by the old root',
    );
  });
});
