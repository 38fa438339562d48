// Root rotation through a trust bundle holding both roots: prepare (new root trusted, old one signs), activate
// (new root signs), finish (old root dropped). Proxies receive the bundle as SDS `ROOTCA` over ADS after every
// change; certificates from before and after the switch verify against the dual bundle; the CA's files survive
// a restart.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SECRET_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import { SecretSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import {
  CertificateClient,
  getJson,
  joinToken,
  opensslCsr,
  postJson,
  startCaControlPlane,
  tempDir,
  verify,
  type CaRootsBody,
} from './support/ca-test-kit.ts';

/** The PEM of the ROOTCA secret in an SDS response. */
function rootCaOf(response: Awaited<ReturnType<SotwClient['next']>>): string {
  assert.equal(response.typeUrl, SECRET_TYPE_URL);
  const secrets = response.resources.map((any) => unpackAnyAs(any, SecretSchema));
  assert.deepEqual(
    secrets.map((secret) => secret?.name),
    ['ROOTCA'],
  );
  const secret = secrets[0];
  assert.ok(secret);
  assert.equal(secret.type.case, 'validationContext');
  const source = secret.type.value.trustedCa?.specifier;
  assert.equal(source?.case, 'inlineString');
  return source.value;
}

const pemCount = (bundle: string) => bundle.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

describe('root rotation', { timeout: 60_000 }, () => {
  const dir = tempDir('ca-rotate');
  const dataDir = dir.file('data');
  let cp: ControlPlane;
  let client: CertificateClient;
  let proxy: SotwClient;
  let token: string;
  let oldRoot: string;
  let newRoot: string;
  let before1: string;
  let afterActivate: string;

  const sign = async (name: string) => (await client.sign(opensslCsr(dir, name).csr, token))[0] as string;
  const rotate = (phase?: string) => postJson(cp, '/apis/v1/ca/root-rotate', phase ? { phase } : {});
  const roots = () => getJson<CaRootsBody>(cp, '/apis/v1/ca/roots');
  const ackLast = (response: Awaited<ReturnType<SotwClient['next']>>) =>
    proxy.send({
      node: sidecarXdsNode('reviews', 'shop'),
      typeUrl: SECRET_TYPE_URL,
      resourceNames: ['default', 'ROOTCA'],
      versionInfo: response.versionInfo,
      responseNonce: response.nonce,
    });

  before(async () => {
    cp = await startCaControlPlane(dataDir);
    client = new CertificateClient(cp.xdsPort);
    // The node names no SERVICE_ACCOUNT: it runs as `default`, and its ADS token says so.
    proxy = new SotwClient(cp.xdsPort, await joinToken(cp, 'shop', 'default'));
    token = await joinToken(cp, 'shop', 'reviews');
  });
  after(async () => {
    proxy.close();
    client.close();
    await cp.close();
    dir.remove();
  });

  it('starts with one root, sent to a proxy as ROOTCA', async () => {
    const status = await roots();
    assert.equal(status.mode, 'self-signed');
    assert.equal(status.keyType, 'ECDSA_P256');
    assert.deepEqual(status.rotation, { state: 'idle', next: 'prepare' });
    assert.equal(status.roots.length, 1);
    oldRoot = status.bundle;
    proxy.send({
      node: sidecarXdsNode('reviews', 'shop'),
      typeUrl: SECRET_TYPE_URL,
      resourceNames: ['default', 'ROOTCA'],
    });
    const response = await proxy.next();
    assert.equal(rootCaOf(response), oldRoot);
    ackLast(response);
    before1 = await sign('before');
    assert.equal(verify(dir, before1, oldRoot).status, 0);
  });

  it('refuses phases out of order', async () => {
    for (const phase of ['activate', 'finish']) {
      const refused = await rotate(phase);
      assert.equal(refused.status, 409, phase);
      assert.equal(refused.body.code, 'HEDDLE_CA_ROTATION_OUT_OF_ORDER');
      assert.equal(refused.body.next, 'prepare');
    }
    const bad = await rotate('sideways');
    assert.equal(bad.status, 400);
  });

  it('prepare: the bundle gets the new root and reaches the proxy; the old root still signs', async () => {
    const prepared = await rotate('prepare');
    assert.equal(prepared.status, 200, JSON.stringify(prepared.body));
    assert.equal(prepared.body.phase, 'prepare');
    const status = await roots();
    assert.deepEqual(status.rotation, { state: 'prepared', next: 'activate' });
    assert.deepEqual(
      status.roots.map((root) => root.signing),
      [true, false],
    );
    newRoot = status.roots[1]?.pem ?? '';
    assert.equal(status.bundle, oldRoot + newRoot);

    const pushed = await proxy.next();
    assert.equal(rootCaOf(pushed), oldRoot + newRoot);
    ackLast(pushed);
    const stillOld = await sign('prepared');
    assert.equal(verify(dir, stillOld, oldRoot).status, 0, 'signed by the old root');
  });

  it('activate: the new root signs; certificates of both roots verify against the dual bundle', async () => {
    assert.equal((await rotate()).body.phase, 'activate', 'no phase runs the next one');
    assert.deepEqual((await roots()).rotation, { state: 'activated', next: 'finish' });
    afterActivate = await sign('after');
    assert.equal(verify(dir, afterActivate, newRoot).status, 0, 'signed by the new root');
    assert.notEqual(verify(dir, afterActivate, oldRoot).status, 0);
    const bundle = oldRoot + newRoot;
    assert.equal(verify(dir, before1, bundle).status, 0);
    assert.equal(verify(dir, afterActivate, bundle).status, 0);
    assert.deepEqual(await proxy.responses.drain(200), [], 'the bundle did not change, so no push');
  });

  it('finish: the old root leaves the bundle and the proxy', async () => {
    assert.equal((await rotate('finish')).status, 200);
    const status = await roots();
    assert.deepEqual(status.rotation, { state: 'idle', next: 'prepare' });
    assert.equal(status.bundle, newRoot);
    const pushed = await proxy.next();
    assert.equal(rootCaOf(pushed), newRoot);
    ackLast(pushed);
    assert.notEqual(verify(dir, before1, newRoot).status, 0, 'old certificates are no longer trusted');
    assert.equal(verify(dir, afterActivate, newRoot).status, 0);
  });

  it('survives a restart: same root, same token key, private files 0600', async () => {
    proxy.close();
    await cp.close();
    cp = await startCaControlPlane(dataDir);
    client.close();
    client = new CertificateClient(cp.xdsPort);
    // The node names no SERVICE_ACCOUNT: it runs as `default`, and its ADS token says so.
    proxy = new SotwClient(cp.xdsPort, await joinToken(cp, 'shop', 'default'));
    const status = await roots();
    assert.equal(status.bundle, newRoot);
    assert.equal(
      verify(dir, await sign('restarted'), newRoot).status,
      0,
      'a token from before the restart works',
    );
    const caDir = `${dataDir}/ca`;
    const rootId = status.roots[0]?.id ?? '';
    assert.equal(statSync(`${caDir}/root-${rootId}-key.pem`).mode & 0o777, 0o600);
    assert.equal(statSync(`${caDir}/token-key.pem`).mode & 0o777, 0o600);
    assert.equal(statSync(caDir).mode & 0o777, 0o700);
    assert.equal(pemCount(status.bundle), 1);
    assert.deepEqual(
      readdirSync(caDir)
        .filter((name) => name.startsWith('root-'))
        .sort(),
      [`root-${rootId}-cert.pem`, `root-${rootId}-key.pem`],
      "finish removed the old root's files",
    );
  });
});
