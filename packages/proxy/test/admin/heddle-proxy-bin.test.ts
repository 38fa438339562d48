// The heddle-proxy command: one-line errors with exit code 2 for bad usage or bootstrap, and a real run
// against a fake control plane that becomes ready and exits 0 on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@heddle/xds';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { call, waitForStatus } from './support/http.ts';

const BIN = fileURLToPath(new URL('../../bin/heddle-proxy.ts', import.meta.url));

interface Run {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  stderr: string;
}

function run(args: readonly string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const result: Run = {
    child,
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (result.stderr += chunk));
  child.stdout?.resume();
  return result;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('heddle-proxy command', { timeout: 30_000 }, () => {
  let dir: string;
  const children: ChildProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-proxy-bin-'));
  });

  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 2 with one clear line for bad usage and bad bootstraps', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^heddle-proxy: --bootstrap is required; usage: /],
      [['--bootstrap', join(dir, 'missing.yaml')], /missing\.yaml: cannot read bootstrap: no such file$/],
      [
        ['--bootstrap', join(dir, 'bad.json')],
        /bad\.json: invalid bootstrap: node\.id: must not be empty; controlPlane\.addresses: /,
      ],
      [['--log-level', 'loud', '--bootstrap', 'x'], /unknown log level "loud"$/],
    ];
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ node: { id: '' }, controlPlane: { addresses: [] } }),
    );
    for (const [args, expected] of cases) {
      const result = run(args);
      children.push(result.child);
      assert.equal(await result.exit, 2, args.join(' '));
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] ?? '', expected);
    }
  });

  it('runs until SIGTERM, ready once the control plane has served it, and exits 0', async () => {
    const server = await FakeAdsServer.start();
    try {
      server.setResources(CLUSTER_TYPE_URL, []);
      server.setResources(LISTENER_TYPE_URL, []);
      const [adminPort, healthPort] = [await freePort(), await freePort()];
      const file = join(dir, 'bootstrap.yaml');
      await writeFile(
        file,
        [
          'node:',
          '  id: sidecar~127.0.0.1~product.default~default.svc.cluster.local',
          'controlPlane:',
          `  addresses: ["${server.address}"]`,
          `admin: {port: ${adminPort}}`,
          `health: {port: ${healthPort}}`,
          'drainTimeout: 1s',
          '',
        ].join('\n'),
      );
      const result = run(['--bootstrap', file, '--log-level', 'warning']);
      children.push(result.child);
      await waitForStatus(healthPort, '/healthz/ready', 200, 10_000);
      const info = JSON.parse((await call(adminPort, '/server_info')).body) as { state: string };
      assert.equal(info.state, 'LIVE');
      const ack = await server.waitFor((r) => r.kind === 'ack' && r.typeUrl === LISTENER_TYPE_URL);
      assert.equal(ack.versionInfo, '1');
      result.child.kill('SIGTERM');
      assert.equal(await result.exit, 0);
      assert.equal(result.stderr, '');
    } finally {
      await server.close();
    }
  });
});
