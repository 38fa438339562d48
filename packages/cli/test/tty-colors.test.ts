// Colors only for a person at a terminal: proxy-status states, the proxy-status diff and analyze levels are
// colored when stdout is a TTY, and plain in a pipe or whenever NO_COLOR is set.
import assert from 'node:assert/strict';
import { relative, join } from 'node:path';
import { describe, it } from 'node:test';
import type { CliIo } from '../src/cli-io.ts';
import { main } from '../src/main.ts';
import { colorComparison } from '../src/proxy-status/status-colors.ts';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { applyShopMesh, TESTDATA, waitForSync } from './helpers/mesh-fixture.ts';
import { REPO_ROOT } from './helpers/run-cli.ts';
import { connectScriptedProxy } from './helpers/scripted-proxy.ts';

const ESC = String.fromCharCode(27);

async function run(args: readonly string[], tty: boolean, env: Record<string, string> = {}): Promise<string> {
  let out = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text), isTTY: tty },
    stderr: { write: () => true },
    stdin: (async function* () {})(),
    env,
  };
  await main(args, io);
  return out;
}

describe('colors on a TTY only', { timeout: 120_000 }, () => {
  it('proxy-status colors the sync states on a terminal, never in a pipe or with NO_COLOR', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    await applyShopMesh(plane);
    await connectScriptedProxy(t, plane, { workload: 'productpage', namespace: 'shop', ip: '10.1.0.1' });
    await connectScriptedProxy(t, plane, {
      workload: 'details',
      namespace: 'shop',
      ip: '10.1.0.2',
      answers: { CDS: { nack: 'refused' } },
    });
    await waitForSync(url, (statuses) => statuses.length === 2);
    const args = ['proxy-status', '--control-plane', url];
    const colored = await run(args, true);
    assert.ok(colored.includes(`${ESC}[32mSYNCED${ESC}[39m`), JSON.stringify(colored));
    assert.ok(colored.includes(`${ESC}[31mNACKED${ESC}[39m`), JSON.stringify(colored));
    assert.ok(colored.split('\n')[0]?.startsWith('NAME '), 'the header stays plain');
    const plain = await run(args, false);
    assert.ok(!plain.includes(ESC));
    const uncolored = colored.replaceAll(new RegExp(`${ESC}\\[\\d+m`, 'g'), '');
    assert.equal(uncolored, plain, 'colors change nothing else');
    assert.ok(!(await run(args, true, { NO_COLOR: '1' })).includes(ESC));
  });

  it('analyze colors the level on a terminal only', async () => {
    const file = relative(REPO_ROOT, join(TESTDATA, 'analyze', 'broken-mesh.yaml'));
    const args = ['analyze', join(REPO_ROOT, file)];
    assert.ok((await run(args, true)).includes(`${ESC}[31mError${ESC}[39m [IST0101]`));
    assert.ok(!(await run(args, true, { NO_COLOR: '1' })).includes(ESC));
    assert.ok(!(await run(args, false)).includes(ESC));
  });

  it('the proxy-status diff marks removed lines red and added lines green', () => {
    const text = "Routes Don't Match\n--- Control Plane Routes\n+++ Proxy Routes\n@@ -1 +1 @@\n-a\n+b\n";
    const colored = colorComparison(text);
    assert.ok(colored.includes(`${ESC}[31m-a${ESC}[39m`));
    assert.ok(colored.includes(`${ESC}[32m+b${ESC}[39m`));
    assert.ok(colored.includes(`Routes ${ESC}[31mDon't Match${ESC}[39m`));
  });
});
