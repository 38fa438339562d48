// `heddle delete`: by file or by type and names, kubectl's result lines, not-found as exit 1 unless ignored.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyYaml } from '@heddle/control-plane';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli } from './helpers/run-cli.ts';
import { CLEAN_VIRTUAL_SERVICE, DEPRECATED_FIELD, MISSPELLED_FIELD } from './helpers/snippets.ts';
import { tempDir } from './helpers/temp-dir.ts';

describe('heddle delete', { timeout: 120_000 }, () => {
  it('deletes what a file defines; deleting again is exit 1 unless --ignore-not-found', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const text = `${CLEAN_VIRTUAL_SERVICE}---\n${DEPRECATED_FIELD}`;
    await applyYaml(plane.store, [{ name: 'seed.yaml', text }]);
    const file = join(await tempDir(t), 'shop.yaml');
    await writeFile(file, text);

    const first = await runCli(['delete', '-f', file, '--control-plane', url]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      'virtualservice.networking.istio.io "reviews" deleted\ndestinationrule.networking.istio.io "ratings" deleted\n',
    );
    assert.equal((await plane.store.list()).items.length, 0);

    const again = await runCli(['delete', '-f', file, '--control-plane', url]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^heddle: virtualservice\.networking\.istio\.io "reviews" not found in namespace "shop"$/m,
    );
    const ignored = await runCli(['delete', '-f', file, '--ignore-not-found', '--control-plane', url]);
    assert.equal(ignored.code, 0);
    assert.equal(ignored.stderr, '');
  });

  it('deletes a resource that no longer validates: only unparseable input stops a delete', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await plane.store.apply([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'reviews', namespace: 'shop' },
      },
    ]);
    const result = await runCli(['delete', '-f', '-', '--control-plane', url], { input: MISSPELLED_FIELD });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'destinationrule.networking.istio.io "reviews" deleted\n');

    const broken = await runCli(['delete', '-f', '-', '--control-plane', url], {
      input: 'kind: [unclosed\n',
    });
    assert.equal(broken.code, 65);
    assert.match(broken.stderr, /^heddle: nothing was deleted$/m);
  });

  it('deletes by type and names; a missing name is reported and makes the exit code 1', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await applyYaml(plane.store, [{ name: 'seed.yaml', text: CLEAN_VIRTUAL_SERVICE }]);
    const result = await runCli(['delete', 'vs', 'reviews', 'ghost', '-n', 'shop', '--control-plane', url]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'virtualservice.networking.istio.io "reviews" deleted\n');
    assert.equal(
      result.stderr,
      'heddle: virtualservice.networking.istio.io "ghost" not found in namespace "shop"\n',
    );
    assert.equal(await plane.store.get('VirtualService', 'shop', 'reviews'), undefined);
  });

  it('usage errors: nothing to delete, or both files and names', async () => {
    assert.equal((await runCli(['delete'])).code, 64);
    assert.equal((await runCli(['delete', 'vs'])).code, 64);
    assert.equal((await runCli(['delete', 'vs', 'reviews', '-f', 'x.yaml'])).code, 64);
  });
});
