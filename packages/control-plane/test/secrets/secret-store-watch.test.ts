// Several control planes on one data directory (heddle up's and each installed revision's) share one secret
// directory: a secret one of them stores, replaces or deletes reaches the others' listeners, and a store's own
// writes are announced once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestPki, type KeyPair, type TestPki } from '@heddle/testkit';
import { SecretStore } from '../../src/index.ts';

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not in time: ${what}`);
    await sleep(20);
  }
}

describe('secret store shared by several control planes', () => {
  let pki: TestPki;
  let shop: KeyPair;
  let other: KeyPair;
  let dir: string;

  before(async () => {
    pki = createTestPki('secret-store-watch');
    pki.ca('watch-ca');
    shop = pki.issue('shop', 'watch-ca', 'DNS:shop.example.com');
    other = pki.issue('other', 'watch-ca', 'DNS:other.example.com');
    dir = await mkdtemp(join(tmpdir(), 'heddle-secret-watch-'));
  });

  after(async () => {
    pki.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells a listening store about secrets another store created, replaced and deleted later', async () => {
    // The writer does not check on its own, so that what it learns below comes from the explicit check.
    const writer = await SecretStore.open({ dataDir: dir, watchIntervalMs: 0 });
    const reader = await SecretStore.open({ dataDir: dir, watchIntervalMs: 50 });
    let readerChanges = 0;
    let writerChanges = 0;
    const stopReader = reader.onChange(() => readerChanges++);
    const stopWriter = writer.onChange(() => writerChanges++);
    try {
      assert.deepEqual(reader.names(), []);

      await writer.put({ name: 'shop-cert', certificateChain: shop.cert, privateKey: shop.key });
      await eventually(() => reader.names().includes('istio-system/shop-cert'), 'the new secret');
      assert.equal(readerChanges, 1);
      assert.equal(
        reader.material().get('istio-system/shop-cert')?.certificateChain?.trim(),
        shop.cert.trim(),
      );
      assert.deepEqual(reader.get('istio-system', 'shop-cert')?.certificate?.subjectAltNames, [
        'DNS:shop.example.com',
      ]);

      await writer.put(
        { name: 'shop-cert', certificateChain: other.cert, privateKey: other.key },
        { overwrite: true },
      );
      await eventually(
        () => reader.material().get('istio-system/shop-cert')?.certificateChain?.trim() === other.cert.trim(),
        'the rotated certificate',
      );
      assert.equal(readerChanges, 2);

      await writer.delete('istio-system', 'shop-cert');
      await eventually(() => reader.names().length === 0, 'the deletion');
      assert.equal(readerChanges, 3);

      // Its own writes: one announcement each, none again when the directory is checked.
      await reader.put({ namespace: 'shop', name: 'own', certificateChain: shop.cert, privateKey: shop.key });
      assert.equal(readerChanges, 4);
      assert.equal(await reader.refresh(), false);
      await sleep(200);
      assert.equal(readerChanges, 4);
      // The writer learns of it when it checks.
      assert.equal(await writer.refresh(), true);
      assert.deepEqual(writer.names(), ['shop/own']);
      assert.equal(writerChanges, 4);
    } finally {
      stopReader();
      stopWriter();
    }
  });

  it('checks nothing once nobody listens', async () => {
    const writer = await SecretStore.open({ dataDir: dir });
    const reader = await SecretStore.open({ dataDir: dir, watchIntervalMs: 20 });
    const stop = reader.onChange(() => undefined);
    stop();
    await writer.put({ name: 'unseen', certificateChain: shop.cert, privateKey: shop.key });
    await sleep(200);
    assert.equal(reader.names().includes('istio-system/unseen'), false);
    // Asked directly, it still reads the directory.
    assert.equal(await reader.refresh(), true);
    assert.equal(reader.names().includes('istio-system/unseen'), true);
  });
});
