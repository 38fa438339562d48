// `heddle x ca roots` and `heddle x ca root-rotate` against a real control plane with its CA.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';

describe('heddle x ca', { timeout: 120_000 }, () => {
  it('roots shows the bundle; root-rotate walks prepare, activate, finish and refuses out of order', async (t) => {
    const { url } = await startTestControlPlane(t);
    const roots = await runCli(['x', 'ca', 'roots', '--control-plane', url]);
    assert.equal(roots.code, 0, roots.stderr);
    assert.match(roots.stdout, /^ID\s+SUBJECT\s+NOT AFTER\s+SIGNING\s+SHA256$/m);
    assert.match(
      roots.stdout,
      /^[0-9a-f]{8}\s+O=Heddle, CN=Heddle Root CA [0-9a-f]{8}\s+\d{4}-\d\d-\d\d\s+yes\s+/m,
    );
    assert.match(roots.stdout, /^rotation: idle \(next phase: prepare\)$/m);

    const pem = await runCli(['x', 'ca', 'roots', '-o', 'pem', '--control-plane', url]);
    assert.match(pem.stdout, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);

    const outOfOrder = await runCli(['x', 'ca', 'root-rotate', '--phase', 'finish', '--control-plane', url]);
    assert.equal(outOfOrder.code, 1);
    assert.match(
      outOfOrder.stderr,
      /cannot finish the root rotation: no rotation is in progress.*HEDDLE_CA_ROTATION_OUT_OF_ORDER/,
    );
    assert.equal(stackTraceIn(outOfOrder), undefined);

    const prepared = await runCli(['x', 'ca', 'root-rotate', '--control-plane', url]);
    assert.equal(prepared.code, 0, prepared.stderr);
    assert.match(prepared.stdout, /^prepared: a new root is in the trust bundle/);
    assert.match(prepared.stdout, /^rotation: prepared \(next phase: activate\)$/m);
    assert.equal(prepared.stdout.match(/Heddle Root CA/g)?.length, 2);

    const activated = await runCli(['x', 'ca', 'root-rotate', '--phase', 'activate', '--control-plane', url]);
    assert.match(activated.stdout, /^activated: root [0-9a-f]{8} signs from now on/);
    const finished = await runCli(['x', 'ca', 'root-rotate', '--phase', 'finish', '--control-plane', url]);
    assert.match(finished.stdout, /^finished: the trust bundle holds root [0-9a-f]{8} only\./);

    const json = await runCli(['x', 'ca', 'roots', '-o', 'json', '--control-plane', url]);
    const body = JSON.parse(json.stdout) as { roots: unknown[]; rotation: { state: string } };
    assert.equal(body.roots.length, 1);
    assert.equal(body.rotation.state, 'idle');
  });

  it('a bad phase is a usage error; an unreachable control plane exits 69', async () => {
    const bad = await runCli(['x', 'ca', 'root-rotate', '--phase', 'sideways']);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /invalid value 'sideways' for --phase/);
    const away = await runCli(['x', 'ca', 'roots', '--control-plane', 'http://127.0.0.1:1']);
    assert.equal(away.code, 69);
    assert.match(away.stderr, /cannot reach the control plane/);
  });
});
