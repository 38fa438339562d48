// `heddle apply`: kubectl-style result lines, refusal of invalid config as a whole, validate's input rules.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';
import {
  CLEAN_VIRTUAL_SERVICE,
  DEPRECATED_FIELD,
  MISSPELLED_FIELD,
  NOT_A_MESH_RESOURCE,
} from './helpers/snippets.ts';
import { tempDir } from './helpers/temp-dir.ts';

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["shop.example.com"]
`;

describe('heddle apply', { timeout: 120_000 }, () => {
  it('prints one line per resource: created, then unchanged, then configured after a change', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const file = join(await tempDir(t), 'reviews.yaml');
    await writeFile(file, `${CLEAN_VIRTUAL_SERVICE}---\n${GATEWAY}`);
    const apply = () => runCli(['apply', '-f', file, '--control-plane', url]);

    const first = await apply();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      'virtualservice.networking.istio.io/reviews created\ngateway.networking.istio.io/shop-gateway created\n',
    );
    assert.equal(first.stderr, '');
    const again = await apply();
    assert.equal(again.code, 0);
    assert.equal(
      again.stdout,
      'virtualservice.networking.istio.io/reviews unchanged\ngateway.networking.istio.io/shop-gateway unchanged\n',
    );

    await writeFile(file, CLEAN_VIRTUAL_SERVICE.replace('- reviews\n', '- reviews\n    - reviews.shop\n'));
    const changed = await apply();
    assert.equal(changed.stdout, 'virtualservice.networking.istio.io/reviews configured\n');
    const stored = await plane.store.get('VirtualService', 'shop', 'reviews');
    assert.deepEqual((stored?.spec as { hosts: string[] }).hosts, ['reviews', 'reviews.shop']);
  });

  it('reads standard input, and -n gives documents without a namespace theirs', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const result = await runCli(['apply', '-f', '-', '-n', 'shop', '--control-plane', url], {
      input: GATEWAY,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'gateway.networking.istio.io/shop-gateway created\n');
    assert.ok(await plane.store.get('Gateway', 'shop', 'shop-gateway'));
  });

  it('applies nothing when one document of many files is invalid: exit 79, findings with file:line', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const dir = await tempDir(t);
    await mkdir(join(dir, 'routes'));
    await writeFile(join(dir, 'routes', 'a-good.yaml'), CLEAN_VIRTUAL_SERVICE);
    await writeFile(join(dir, 'routes', 'b-bad.yaml'), `${GATEWAY}---\n${MISSPELLED_FIELD}`);
    const result = await runCli(['apply', '-f', join(dir, 'routes'), '--control-plane', url]);
    assert.equal(result.code, 79, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(stackTraceIn(result), undefined);
    assert.match(
      result.stderr,
      /^Error \[HEDDLE_UNKNOWN_FIELD\] \(DestinationRule shop\/reviews .*b-bad\.yaml:22\) spec\.trafficPolicy\.conectionPool: /m,
    );
    assert.match(result.stderr, /^2 files, 3 resources: 1 error, 0 warnings, 0 info$/m);
    assert.match(result.stderr, /^heddle: nothing was applied$/m);
    assert.equal((await plane.store.list()).items.length, 0, 'not even the valid file was applied');
  });

  it('applies nothing when the control plane refuses a file (a resource defined twice)', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const file = join(await tempDir(t), 'twice.yaml');
    await writeFile(file, `${CLEAN_VIRTUAL_SERVICE}---\n${CLEAN_VIRTUAL_SERVICE}`);
    const result = await runCli(['apply', '-f', file, '--control-plane', url]);
    assert.equal(result.code, 79);
    assert.match(result.stderr, /HEDDLE_APPLY_DUPLICATE_RESOURCE.*twice\.yaml:\d+/);
    assert.match(result.stderr, /^heddle: the control plane refused .*twice\.yaml: /m);
    assert.equal((await plane.store.list()).items.length, 0);
  });

  it('exits 65 and applies nothing when a path cannot be read', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const dir = await tempDir(t);
    await writeFile(join(dir, 'good.yaml'), CLEAN_VIRTUAL_SERVICE);
    const result = await runCli([
      'apply',
      '-f',
      join(dir, 'good.yaml'),
      '-f',
      join(dir, 'missing.yaml'),
      '--control-plane',
      url,
    ]);
    assert.equal(result.code, 65);
    assert.match(result.stderr, /HEDDLE_FILE_UNREADABLE.*missing\.yaml": no such file or directory/);
    assert.equal((await plane.store.list()).items.length, 0);
  });

  it('prints warnings and notes on stderr without stopping the apply', async (t) => {
    const { url } = await startTestControlPlane(t);
    const input = `${DEPRECATED_FIELD}---\n${NOT_A_MESH_RESOURCE}`;
    const result = await runCli(['apply', '-f', '-', '--control-plane', url], { input });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'destinationrule.networking.istio.io/ratings created\n');
    assert.match(
      result.stderr,
      /^Warning \[HEDDLE_DEPRECATED_FIELD\] \(DestinationRule shop\/ratings <stdin>:10\)/m,
    );
    assert.match(result.stderr, /^Info \[.*\] \(Job shop\/migrate <stdin>:\d+\)/m);
  });

  it('takes back what `get -o yaml` prints: every resource unchanged', async (t) => {
    const { url } = await startTestControlPlane(t);
    const seeded = await runCli(['apply', '-f', '-', '--control-plane', url], {
      input: `${CLEAN_VIRTUAL_SERVICE}---\n${GATEWAY}`,
    });
    assert.equal(seeded.code, 0);
    const exported = await runCli(['get', 'vs,gw', '-A', '-o', 'yaml', '--control-plane', url]);
    const reapplied = await runCli(['apply', '-f', '-', '--control-plane', url], { input: exported.stdout });
    assert.equal(reapplied.code, 0, reapplied.stderr);
    assert.equal(
      reapplied.stdout,
      'virtualservice.networking.istio.io/reviews unchanged\ngateway.networking.istio.io/shop-gateway unchanged\n',
    );
  });

  it('needs some input', async () => {
    const result = await runCli(['apply']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /^heddle: no input: /m);
  });
});
