// The local secret store: TLS secrets validated on the way in, kept in owner-only files that survive a restart,
// listed without private keys, and changes announced so that gateways get them.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type KeyPair, type TestPki } from '@heddle/testkit';
import { CONTROL_PLANE_CODES, isControlPlaneError, SecretStore } from '../../src/index.ts';

const DAY_MS = 24 * 60 * 60_000;

describe('secret store', () => {
  let pki: TestPki;
  let caPem: string;
  let shop: KeyPair;
  let other: KeyPair;
  const dirs: string[] = [];

  before(() => {
    pki = createTestPki('secret-store');
    caPem = pki.ca('client-ca');
    shop = pki.issue('shop', 'client-ca', 'DNS:shop.example.com');
    other = pki.issue('other', 'client-ca', 'DNS:other.example.com');
  });

  after(async () => {
    pki.remove();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'heddle-secret-store-'));
    dirs.push(dir);
    return dir;
  }

  async function refusal(work: Promise<unknown>): Promise<string> {
    try {
      await work;
    } catch (error) {
      assert.ok(isControlPlaneError(error), String(error));
      return error.code;
    }
    assert.fail('expected a refusal');
  }

  it('stores a certificate with its key in a 0600 file under a 0700 directory, and reads it back after a restart', async () => {
    const dir = await dataDir();
    const store = await SecretStore.open({ dataDir: dir });
    const result = await store.put({ name: 'shop-cert', certificateChain: shop.cert, privateKey: shop.key });
    assert.equal(result.created, true);
    assert.equal(result.secret.namespace, 'istio-system');
    const file = join(dir, 'secrets', 'istio-system', 'shop-cert.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'secrets'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'secrets', 'istio-system'))).mode & 0o777, 0o700);

    const reopened = await SecretStore.open({ dataDir: dir });
    assert.deepEqual(reopened.names(), ['istio-system/shop-cert']);
    const material = reopened.material().get('istio-system/shop-cert');
    assert.equal(material?.certificateChain?.trim(), shop.cert.trim());
    assert.match(material?.privateKey ?? '', /BEGIN PRIVATE KEY/);
    assert.deepEqual(reopened.problems, []);
  });

  it('lists certificates, SANs and validity, never the private key', async () => {
    const store = await SecretStore.open({ dataDir: await dataDir() });
    await store.put({
      namespace: 'shop',
      name: 'shop-cert',
      certificateChain: shop.cert,
      privateKey: shop.key,
      caCertificate: caPem,
    });
    const [summary] = store.list();
    assert.ok(summary);
    assert.equal(summary.type, 'tls');
    assert.deepEqual(summary.keys, ['tls.crt', 'tls.key', 'ca.crt']);
    assert.deepEqual(summary.certificate?.subjectAltNames, ['DNS:shop.example.com']);
    assert.equal(summary.certificate?.subject, 'CN=shop');
    assert.equal(summary.caCertificates?.[0]?.subject, 'CN=client-ca');
    assert.doesNotMatch(JSON.stringify(store.list()), /PRIVATE KEY/);
    assert.deepEqual(store.list('other-namespace'), []);
  });

  it('holds a CA bundle alone, as Istio`s <name>-cacert secret', async () => {
    const store = await SecretStore.open({ dataDir: await dataDir() });
    const { secret } = await store.put({ name: 'partner-cert-cacert', caCertificate: caPem });
    assert.equal(secret.type, 'ca');
    assert.deepEqual(store.material().get('istio-system/partner-cert-cacert'), { caCertificate: caPem });
  });

  it('refuses what a proxy could not use, each with its own code', async () => {
    const store = await SecretStore.open({ dataDir: await dataDir() });
    const put = (input: Record<string, string>) => store.put({ name: 'x', ...input });
    assert.equal(
      await refusal(put({ certificateChain: shop.cert, privateKey: other.key })),
      CONTROL_PLANE_CODES.SECRET_KEY_MISMATCH,
    );
    assert.equal(
      await refusal(put({ certificateChain: 'not pem', privateKey: shop.key })),
      CONTROL_PLANE_CODES.SECRET_PEM_INVALID,
    );
    assert.equal(
      await refusal(
        put({
          certificateChain: shop.cert,
          privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
        }),
      ),
      CONTROL_PLANE_CODES.SECRET_PEM_INVALID,
    );
    assert.equal(
      await refusal(put({ certificateChain: shop.key, privateKey: shop.key })),
      CONTROL_PLANE_CODES.SECRET_PEM_INVALID,
    );
    assert.equal(await refusal(put({ certificateChain: shop.cert })), CONTROL_PLANE_CODES.SECRET_INVALID);
    assert.equal(await refusal(put({})), CONTROL_PLANE_CODES.SECRET_INVALID);
    assert.equal(await refusal(put({ caCertificate: shop.cert })), CONTROL_PLANE_CODES.SECRET_NOT_A_CA);
    assert.equal(
      await refusal(store.put({ name: 'Bad/Name', caCertificate: caPem })),
      CONTROL_PLANE_CODES.SECRET_INVALID,
    );
    assert.equal(
      await refusal(store.put({ name: 'ok', namespace: '..', caCertificate: caPem })),
      CONTROL_PLANE_CODES.SECRET_INVALID,
    );
    assert.deepEqual(store.names(), []);
  });

  it('refuses certificates that expired or are not valid yet', async () => {
    const dir = await dataDir();
    const later = await SecretStore.open({ dataDir: dir, now: () => new Date(Date.now() + 10 * DAY_MS) });
    const earlier = await SecretStore.open({ dataDir: dir, now: () => new Date(Date.now() - DAY_MS) });
    const input = { name: 'shop-cert', certificateChain: shop.cert, privateKey: shop.key };
    assert.equal(await refusal(later.put(input)), CONTROL_PLANE_CODES.SECRET_CERT_EXPIRED);
    assert.equal(await refusal(earlier.put(input)), CONTROL_PLANE_CODES.SECRET_CERT_EXPIRED);
    assert.equal(
      await refusal(later.put({ name: 'ca', caCertificate: caPem })),
      CONTROL_PLANE_CODES.SECRET_CERT_EXPIRED,
    );
  });

  it('replaces only when asked (a rotation), deletes, and tells listeners each time', async () => {
    const store = await SecretStore.open({ dataDir: await dataDir() });
    let changes = 0;
    const stop = store.onChange(() => changes++);
    await store.put({ name: 'shop-cert', certificateChain: shop.cert, privateKey: shop.key });
    assert.equal(
      await refusal(store.put({ name: 'shop-cert', certificateChain: other.cert, privateKey: other.key })),
      CONTROL_PLANE_CODES.SECRET_EXISTS,
    );
    const replaced = await store.put(
      { name: 'shop-cert', certificateChain: other.cert, privateKey: other.key },
      { overwrite: true },
    );
    assert.equal(replaced.created, false);
    assert.deepEqual(replaced.secret.certificate?.subjectAltNames, ['DNS:other.example.com']);
    const deleted = await store.delete('istio-system', 'shop-cert');
    assert.equal(deleted.name, 'shop-cert');
    assert.equal(
      await refusal(store.delete('istio-system', 'shop-cert')),
      CONTROL_PLANE_CODES.SECRET_NOT_FOUND,
    );
    assert.equal(changes, 3);
    stop();
  });

  it('skips a damaged file at open and reports it, serving the others', async () => {
    const dir = await dataDir();
    const store = await SecretStore.open({ dataDir: dir });
    await store.put({ name: 'good', certificateChain: shop.cert, privateKey: shop.key });
    await store.put({ name: 'bad', certificateChain: other.cert, privateKey: other.key });
    const badFile = join(dir, 'secrets', 'istio-system', 'bad.json');
    const json = JSON.parse(await readFile(badFile, 'utf8')) as Record<string, unknown>;
    await writeFile(badFile, JSON.stringify({ ...json, privateKey: shop.key }));
    const reopened = await SecretStore.open({ dataDir: dir });
    assert.deepEqual(reopened.names(), ['istio-system/good']);
    assert.equal(reopened.problems.length, 1);
    assert.match(
      reopened.problems[0] ?? '',
      /HEDDLE_SECRET_STORE_INVALID: .*bad\.json .*not the private key/,
    );
  });
});
