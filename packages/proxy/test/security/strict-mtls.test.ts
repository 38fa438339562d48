// Two sidecars with workload certificates from the mesh CA and a STRICT inbound listener: sidecar traffic
// is mutual TLS with SPIFFE identities, and plaintext or certificate-less TLS never reaches the application.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { call } from '../admin/support/http.ts';
import { IDENTITY_A, IDENTITY_B, startTwoSidecars, type TwoSidecars } from './support/two-sidecars.ts';

function openssl(args: string[], input: string): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { timeout: 10_000 }, (error, stdout) =>
      resolve({ stdout, code: error ? Number((error as { code?: number }).code ?? 1) : 0 }),
    );
    child.stdin?.end(input);
  });
}

/** Sends one raw request and returns whatever came back before the peer closed (or '' on error). */
function exchange(socket: Socket, request: string): Promise<string> {
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

describe('STRICT mTLS between two sidecars', { timeout: 60_000 }, () => {
  let mesh: TwoSidecars;
  let dir: string;

  before(async () => {
    mesh = await startTwoSidecars({ mode: 'STRICT', ttlMs: 3600_000 });
    dir = mkdtempSync(join(tmpdir(), 'heddle-strict-'));
  });

  after(async () => {
    await mesh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries a request over mTLS and hands the verified client identity to the application', async () => {
    const reply = await call(mesh.outboundPort, '/hello');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'app');
    assert.match(
      String(reply.headers['x-seen-xfcc']),
      new RegExp(`URI=${IDENTITY_A.replaceAll('/', '\\/')}`),
    );
  });

  it('presents the workload SPIFFE identity to openssl s_client with a mesh client certificate', async () => {
    const client = await mesh.ca.issue('spiffe://cluster.local/ns/default/sa/tester');
    writeFileSync(join(dir, 'client.crt'), client.cert);
    writeFileSync(join(dir, 'client.key'), client.key);
    writeFileSync(join(dir, 'root.crt'), mesh.ca.root.pem);
    const result = await openssl(
      [
        's_client',
        '-connect',
        `127.0.0.1:${mesh.inboundPort}`,
        '-cert',
        join(dir, 'client.crt'),
        '-key',
        join(dir, 'client.key'),
        '-CAfile',
        join(dir, 'root.crt'),
        '-verify_return_error',
        '-ign_eof',
      ],
      'GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n',
    );
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(result.stdout)?.[0];
    assert.ok(pem, result.stdout);
    assert.equal(new X509Certificate(pem).subjectAltName, `URI:${IDENTITY_B}`);
    assert.match(result.stdout, /Verify return code: 0 \(ok\)/);
    assert.match(result.stdout, /HTTP\/1\.1 200/);
  });

  it('refuses plaintext: nothing reaches the application', async () => {
    const before = mesh.appRequests.length;
    const reply = await exchange(
      netConnect(mesh.inboundPort, '127.0.0.1'),
      'GET /plain HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n',
    );
    assert.doesNotMatch(reply, /HTTP\/1\.1/);
    assert.equal(mesh.appRequests.length, before);
  });

  it('refuses TLS without a client certificate: nothing reaches the application', async () => {
    const before = mesh.appRequests.length;
    const socket = tlsConnect({
      port: mesh.inboundPort,
      host: '127.0.0.1',
      ca: mesh.ca.root.pem,
      servername: 'b',
      checkServerIdentity: () => undefined,
    });
    const reply = await exchange(socket, 'GET /nocert HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
    assert.doesNotMatch(reply, /HTTP\/1\.1/);
    assert.equal(mesh.appRequests.length, before);
  });

  it('refuses a client certificate from another CA', async () => {
    const { createRoot } = await import('./support/test-mesh-ca.ts');
    const foreign = await createRoot('foreign');
    const saved = mesh.ca.root;
    mesh.ca.root = foreign;
    const client = await mesh.ca.issue(IDENTITY_A);
    mesh.ca.root = saved;
    const before = mesh.appRequests.length;
    const socket = tlsConnect({
      port: mesh.inboundPort,
      host: '127.0.0.1',
      cert: client.cert,
      key: client.key,
      ca: saved.pem,
      checkServerIdentity: () => undefined,
    });
    const reply = await exchange(socket, 'GET /foreign HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
    assert.doesNotMatch(reply, /HTTP\/1\.1/);
    assert.equal(mesh.appRequests.length, before);
  });
});
