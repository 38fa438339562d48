// Every control plane of an installation reads the one secret directory of the data directory: a TLS secret
// created with `heddle create secret tls` after revision 1-13's control plane started reaches it, and the
// ingress gateway following 1-13 serves HTTPS with it.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestPki, type KeyPair, type TestPki } from '@heddle/testkit';
import { runCli } from '../helpers/run-cli.ts';
import { readRunningInstall } from '../../src/install/install-state.ts';
import { ANY_PORTS, TESTDATA, meshDataDir, heddle } from './install-helpers.ts';

const HOST = 'secure.example.com';

const MESH = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: secure-gateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [${HOST}]
      tls: { mode: SIMPLE, credentialName: secure-cert }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: secure, namespace: istio-system }
spec:
  hosts: [${HOST}]
  gateways: [secure-gateway]
  http:
    - directResponse: { status: 200, body: { string: "served over TLS" } }
`;

interface HttpsAnswer {
  readonly status: number;
  readonly body: string;
  readonly peer?: string;
}

function viaHttps(port: number, ca: string): Promise<HttpsAnswer | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        servername: HOST,
        headers: { host: HOST },
        ca,
        timeout: 3_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            peer: (res.socket as TLSSocket).getPeerCertificate?.().subjectaltname,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
}

describe('secrets and revisions', { timeout: 300_000 }, () => {
  let pki: TestPki;
  let caPem: string;
  let server: KeyPair;

  before(() => {
    pki = createTestPki('revision-secrets');
    caPem = pki.ca('revision-ca');
    server = pki.issue('secure', 'revision-ca', `DNS:${HOST}`);
  });
  after(() => pki.remove());

  it('a secret created after revision 1-13 started is served by the gateway that follows 1-13', async (t) => {
    const dataDir = await meshDataDir(t);
    const base = await heddle(dataDir, ['install', '-f', join(TESTDATA, 'base-default.yaml'), ...ANY_PORTS]);
    assert.equal(base.code, 0, base.stderr);
    const canary = await heddle(dataDir, ['install', '-f', join(TESTDATA, 'revision-1-13.yaml')]);
    assert.equal(canary.code, 0, `${canary.stdout}\n${canary.stderr}`);
    const upgraded = await heddle(dataDir, ['upgrade', '--revision', '1-13']);
    assert.equal(upgraded.code, 0, `${upgraded.stdout}\n${upgraded.stderr}`);

    const running = await readRunningInstall(dataDir);
    const primary = running?.revisions['']?.url ?? '';
    const revised = running?.revisions['1-13']?.url ?? '';
    const gateway = running?.gateways.find((entry) => entry.name === 'istio-ingressgateway');
    assert.ok(primary && revised && gateway);
    assert.equal(gateway.revision, '1-13');

    const meshFile = join(dataDir, 'secure-mesh.yaml');
    await writeFile(meshFile, MESH);
    const applied = await runCli(['apply', '-f', meshFile, '--control-plane', primary]);
    assert.equal(applied.code, 0, applied.stderr);

    // Only now the secret: through heddle up's control plane, after revision 1-13's started.
    const certFile = join(dataDir, 'secure.crt');
    const keyFile = join(dataDir, 'secure.key');
    await writeFile(certFile, server.cert);
    await writeFile(keyFile, server.key);
    const created = await runCli([
      'create',
      'secret',
      'tls',
      'secure-cert',
      '--cert',
      certFile,
      '--key',
      keyFile,
      '--control-plane',
      primary,
    ]);
    assert.equal(created.code, 0, created.stderr);

    const port = 443 + gateway.portOffset;
    const deadline = Date.now() + 20_000;
    let answer: HttpsAnswer | string = 'not tried';
    while (Date.now() < deadline) {
      answer = await viaHttps(port, caPem);
      if (typeof answer !== 'string' && answer.status === 200) break;
      await sleep(200);
    }
    assert.ok(
      typeof answer !== 'string',
      `HTTPS through the 1-13 gateway: ${JSON.stringify(answer)}; gateway log:\n${(
        await readFile(join(dataDir, 'logs', 'gateway.log'), 'utf8')
      ).slice(-2000)}`,
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'served over TLS');
    assert.equal(answer.peer, `DNS:${HOST}`);

    // The revision's own API lists it: it read the file heddle up's control plane wrote.
    const listed = await (await fetch(`${revised}/apis/v1/secrets`)).json();
    assert.match(JSON.stringify(listed), /"name":"secure-cert"/);
  });
});
