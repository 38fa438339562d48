// `heddle analyze`: validation plus the cross-resource analyzers (IST0101, IST0109, IST0127) over files and
// over the live control plane, printed as istioctl prints them — golden files in testdata/analyze/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { applyYaml } from '@heddle/control-plane';
import { expectGolden } from '@heddle/testkit';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { applyShopMesh, TESTDATA } from './helpers/mesh-fixture.ts';
import { REPO_ROOT, runCli } from './helpers/run-cli.ts';

const GOLDEN = join(TESTDATA, 'analyze');
const BROKEN = relative(REPO_ROOT, join(GOLDEN, 'broken-mesh.yaml'));

describe('heddle analyze', { timeout: 180_000 }, () => {
  it('analyzes files: references, conflicts and validation findings, exit 79', async () => {
    const text = await runCli(['analyze', BROKEN]);
    assert.equal(text.code, 79, text.stderr);
    expectGolden(text.stdout, join(GOLDEN, 'files.golden'));
    const json = await runCli(['analyze', '-f', BROKEN, '-o', 'json', '--output-threshold', 'Warning']);
    assert.equal(json.code, 79);
    expectGolden(json.stdout, join(GOLDEN, 'files-json.golden'));
    const warningsOnly = await runCli([
      'analyze',
      BROKEN,
      '--failure-threshold',
      'Error',
      '--output-threshold',
      'Error',
    ]);
    assert.ok(!warningsOnly.stdout.includes('Warning'), warningsOnly.stdout);
  });

  it('a clean set of files: nothing printed, a note on stderr, exit 0', async () => {
    const result = await runCli(['analyze', 'examples/']);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '✔ No validation issues found when analyzing all namespaces.\n');
  });

  it('analyzes the live control plane with its registry and workloads, by namespace', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await applyShopMesh(plane);
    const extra = await readFile(join(GOLDEN, 'live-extra.yaml'), 'utf8');
    const applied = await applyYaml(plane.store, [{ name: 'live-extra.yaml', text: extra }]);
    assert.equal(applied.code, undefined, JSON.stringify(applied.findings));
    await plane.idle();
    const shop = await runCli(['analyze', '-n', 'shop', '--control-plane', url]);
    assert.equal(shop.code, 79, shop.stderr);
    expectGolden(shop.stdout, join(GOLDEN, 'live-shop.golden'));
    const all = await runCli(['analyze', '-A', '--control-plane', url]);
    expectGolden(all.stdout, join(GOLDEN, 'live-all.golden'));
    const quiet = await runCli(['analyze', '--control-plane', url, '-n', 'istio-system']);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '✔ No validation issues found when analyzing namespace: istio-system.\n');
    // The file alone does not know the registry's services; with --live it does.
    const offline = await runCli(['analyze', relative(REPO_ROOT, join(GOLDEN, 'live-extra.yaml'))]);
    assert.match(offline.stdout, /IST0101.*host "ratings"/);
    assert.doesNotMatch(offline.stdout, /IST0127/);
    const unreachable = await runCli(['analyze', '--control-plane', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 69);
  });
});
