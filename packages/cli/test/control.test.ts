// `heddle control`: ready message, clean stop on SIGTERM/SIGINT, one-line failures for data dir and ports.
import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { startCli } from './helpers/background-cli.ts';
import { unprivilegedIdentity } from './helpers/run-as-nobody.ts';
import { runCli, stackTraceIn, type CliResult } from './helpers/run-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

interface ReadyLine {
  readonly status: string;
  readonly xdsAddress: string;
  readonly httpAddress: string;
  readonly controlPlaneUrl: string;
  readonly dataDir: string;
}

const EPHEMERAL = ['--xds-address', '127.0.0.1:0', '--http-address', '127.0.0.1:0'];

async function occupiedPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

function assertOneLineError(result: CliResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `stderr:\n${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing was announced as ready');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line:\n${result.stderr}`);
  assert.match(result.stderr, message);
  assert.equal(stackTraceIn(result), undefined);
}

describe('heddle control', { timeout: 120_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints its addresses once ready, serves the API, and exits 0 on ${signal}`, async (t) => {
      const dataDir = join(await tempDir(t), 'nested', 'data');
      const cli = startCli(t, ['control', '--data-dir', dataDir, '-o', 'json', ...EPHEMERAL]);
      const ready = JSON.parse(await cli.firstLine()) as ReadyLine;
      assert.equal(ready.status, 'ready');
      assert.equal(ready.dataDir, dataDir, 'the data directory was created');
      assert.match(ready.xdsAddress, /^127\.0\.0\.1:\d+$/);
      assert.doesNotMatch(ready.xdsAddress, /:0$/, 'the bound port, not the requested 0');
      const response = await fetch(`${ready.controlPlaneUrl}/ready`);
      assert.equal(response.status, 200);

      const result = await cli.stop(signal);
      assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
      assert.equal(stackTraceIn(result), undefined);
      assert.match(result.stderr, new RegExp(`stopping the control plane \\(${signal}\\)`));
      await assert.rejects(fetch(`${ready.controlPlaneUrl}/ready`), 'the HTTP server is closed');
    });
  }

  it('prints the addresses for people by default', async (t) => {
    const cli = startCli(t, ['control', '--data-dir', await tempDir(t), ...EPHEMERAL]);
    assert.match(
      await cli.firstLine(),
      /^Heddle control plane ready \(instance .+, version \d+\.\d+\.\d+\)$/,
    );
    const result = await cli.stop('SIGTERM');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^ {2}xDS \(gRPC, plaintext\) {2}127\.0\.0\.1:\d+$/m);
    assert.match(result.stdout, /^ {2}HTTP API and debug {5}http:\/\/127\.0\.0\.1:\d+$/m);
  });

  it('creates its data directory under the working directory by default', async (t) => {
    const cwd = await tempDir(t);
    const cli = startCli(t, ['control', '-o', 'json', ...EPHEMERAL], cwd);
    const ready = JSON.parse(await cli.firstLine()) as ReadyLine;
    assert.equal(ready.dataDir, join(cwd, '.heddle', 'control'));
    assert.equal((await cli.stop('SIGTERM')).code, 0);
  });

  it('exits 73 in one line when the data directory cannot be created', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const result = await runCli(['control', '--data-dir', join(file, 'data'), ...EPHEMERAL]);
    assertOneLineError(
      result,
      73,
      /^heddle: cannot use data directory .*not-a-directory\/data: not a directory$/m,
    );
  });

  it('exits 73 in one line when the data directory cannot be written', async (t) => {
    const identity = unprivilegedIdentity();
    if (!identity) {
      t.skip('running as root, and user "nobody" cannot run the CLI from this checkout');
      return;
    }
    const dir = await tempDir(t);
    const dataDir = join(dir, 'read-only');
    await mkdir(dataDir);
    await chmod(dataDir, 0o555);
    await chmod(dir, 0o755);
    const result = await runCli(['control', '--data-dir', dataDir, ...EPHEMERAL], identity);
    assertOneLineError(result, 73, /^heddle: cannot use data directory .*read-only: permission denied$/m);
  });

  for (const [option, role] of [
    ['--http-address', 'HTTP API'],
    ['--xds-address', 'xDS'],
  ] as const) {
    it(`exits 69 in one line naming the address when ${option}'s port is taken`, async (t) => {
      const port = await occupiedPort(t);
      const args = ['control', '--data-dir', await tempDir(t), ...EPHEMERAL, option, `127.0.0.1:${port}`];
      const result = await runCli(args);
      const message = `^heddle: cannot listen on 127\\.0\\.0\\.1:${port} \\(${role}\\): address already in use$`;
      assertOneLineError(result, 69, new RegExp(message, 'm'));
    });
  }

  it('takes an address that is not host:port as a usage error', async (t) => {
    const result = await runCli(['control', '--data-dir', await tempDir(t), '--xds-address', 'localhost']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /^heddle: --xds-address must be host:port/m);
  });
});
