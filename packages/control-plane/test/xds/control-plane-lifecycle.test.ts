// startControlPlane end to end: the sqlite store in the data directory, translation failures isolated to their
// proxy, and a graceful close that ends streams with UNAVAILABLE.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { CLUSTER_TYPE_URL } from '@heddle/xds';
import { openSqliteStore, silentLogger, startControlPlane, type TranslateFn } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import { fakeTranslate } from '../support/fake-translate.ts';
import { apiUrl, applyYamlText, serviceEntryYaml } from '../support/test-control-plane.ts';

describe('startControlPlane', { timeout: 20_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'heddle-cp-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const failingInBroken: TranslateFn = (snapshot, node, index) => {
    if (node.namespace === 'broken') throw new Error('translator bug');
    return fakeTranslate(snapshot, node, index);
  };

  it('serves from a sqlite store in dataDir, isolates translation failures, and closes gracefully', async () => {
    const cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      translate: failingInBroken,
      debounce: { quietMs: 5, maxDelayMs: 20 },
      // The test's streams carry no join token.
      xdsAuth: 'loopback-exempt',
    });
    const healthy = new SotwClient(cp.xdsPort);
    const broken = new SotwClient(cp.xdsPort);
    try {
      healthy.send({ node: sidecarXdsNode('ok', 'fine'), typeUrl: CLUSTER_TYPE_URL });
      broken.send({ node: sidecarXdsNode('ko', 'broken'), typeUrl: CLUSTER_TYPE_URL });
      await healthy.next();
      assert.deepEqual(await broken.responses.drain(100), [], 'no config rather than an empty one');
      assert.equal((await applyYamlText(cp, serviceEntryYaml('kept', 'fine'))).status, 200);
      await healthy.next();
      const metrics = await (await fetch(apiUrl(cp, '/metrics'))).text();
      assert.match(metrics, /^pilot_xds_push_errors\{type="translate"\} 2$/m);
    } finally {
      await cp.close();
    }
    const closed = await healthy.status();
    assert.equal(closed.code, status.UNAVAILABLE);
    healthy.close();
    broken.close();
    await assert.rejects(fetch(apiUrl(cp, '/ready')));

    const store = openSqliteStore({ dataDir });
    try {
      assert.ok(await store.get('ServiceEntry', 'fine', 'kept'), 'the applied config survived the restart');
    } finally {
      await store.close();
    }
  });

  it('refuses a malformed listen address', async () => {
    await assert.rejects(
      startControlPlane({ dataDir, xdsAddress: 'localhost', logger: silentLogger }),
      /HEDDLE|host:port/,
    );
  });
});
