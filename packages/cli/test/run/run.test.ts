// `heddle run`: a workload beside its own sidecar, against a real control plane and a real backend service.
// The app starts only once the sidecar is ready, calls the mesh through it, gets signals first, and
// `heddle run` exits with its code; a crashed sidecar is restarted; bad input is one line and no process.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { startCli } from '../helpers/background-cli.ts';
import { startTestControlPlane, type TestControlPlane } from '../helpers/control-plane.ts';
import { runCli, stackTraceIn, type CliResult } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { eventually, isAlive, pidsWith, startBackend, viaProxy } from './run-helpers.ts';

const APP = join(import.meta.dirname, 'fixtures', 'app.ts');
const NODE = process.execPath;

function target(cp: TestControlPlane, dataDir: string): string[] {
  return ['--control-plane', cp.url, '--xds-address', `127.0.0.1:${cp.plane.xdsPort}`, '--data-dir', dataDir];
}

async function occupiedPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

async function freePort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  void t;
  return port;
}

function assertOneLineError(result: CliResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `stderr:\n${result.stderr}`);
  assert.equal(result.stderr.trimEnd().split('\n').length <= 2, true, `short:\n${result.stderr}`);
  assert.match(result.stderr, message);
  assert.equal(stackTraceIn(result), undefined);
}

/** Workloads registered at run time (the backend's WorkloadEntry is listed too, and left out). */
async function workloads(cp: TestControlPlane): Promise<string[]> {
  const all = (await (await fetch(`${cp.url}/apis/v1/workloads`)).json()) as {
    name: string;
    origin: string;
  }[];
  return all.filter((workload) => workload.origin === 'registered').map((workload) => workload.name);
}

describe('heddle run', { timeout: 240_000 }, () => {
  it('runs a batch job: the sidecar is ready first, the call succeeds through it, exit 0', async (t) => {
    const cp = await startTestControlPlane(t);
    const backend = await startBackend(t, cp.plane, cp.url);
    const dataDir = await tempDir(t);
    const job =
      "require('node:http').get('http://backend.test.local/batch', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(2))";
    const result = await runCli(['run', ...target(cp, dataDir), '--name', 'batch', '--', NODE, '-e', job], {
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
    assert.deepEqual(backend.paths, ['/batch'], 'the backend got the call, through the sidecar');
    assert.match(result.stderr, /batch\.default is in the mesh/);
    assert.deepEqual(await workloads(cp), [], 'deregistered after the job');
    assert.deepEqual(await pidsWith(join(dataDir, 'workloads')), [], 'the sidecar is gone');
  });

  it('gives the app PORT, HTTP_PROXY, NO_PROXY and HEDDLE_* and registers its mesh port', async (t) => {
    const cp = await startTestControlPlane(t);
    const dataDir = await tempDir(t);
    const outbound = await freePort(t);
    const result = await runCli(
      [
        'run',
        ...target(cp, dataDir),
        '--name',
        'env-printer',
        '-n',
        'shop',
        '--labels',
        'app=printer,version=v2',
        '--port',
        'http=0:0',
        '--outbound-port',
        String(outbound),
        '--',
        NODE,
        APP,
        'env',
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
    const env = JSON.parse(result.stdout) as Record<string, string>;
    assert.equal(env.HTTP_PROXY, `http://127.0.0.1:${outbound}`);
    assert.equal(env.http_proxy, env.HTTP_PROXY);
    assert.match(env.NO_PROXY ?? '', /127\.0\.0\.1/);
    assert.equal(env.HEDDLE_WORKLOAD_NAME, 'env-printer');
    assert.equal(env.HEDDLE_NAMESPACE, 'shop');
    assert.equal(env.HEDDLE_CONTROL_PLANE, cp.url);
    assert.match(env.PORT ?? '', /^\d+$/);
    const [meshPort, appPort] = (env.HEDDLE_APP_PORTS ?? '').split('=');
    assert.equal(appPort, env.PORT);
    assert.match(result.stderr, new RegExp(`mesh port ${meshPort} → app 127\\.0\\.0\\.1:${env.PORT}`));
  });

  it('exits with the app’s exit code when it crashes, and cleans up', async (t) => {
    const cp = await startTestControlPlane(t);
    const dataDir = await tempDir(t);
    const result = await runCli(
      ['run', ...target(cp, dataDir), '--name', 'crasher', '--', NODE, APP, 'exit', '7'],
      {
        timeoutMs: 60_000,
      },
    );
    assert.equal(result.code, 7, `stderr:\n${result.stderr}`);
    assert.deepEqual(await workloads(cp), []);
    assert.deepEqual(await pidsWith(join(dataDir, 'workloads')), []);
  });

  it('on SIGTERM: the app gets it first and its last call still passes the sidecar; exit 0', async (t) => {
    const cp = await startTestControlPlane(t);
    const backend = await startBackend(t, cp.plane, cp.url);
    const dataDir = await tempDir(t);
    const run = startCli(t, [
      'run',
      ...target(cp, dataDir),
      '--name',
      'server',
      '--labels',
      'app=server',
      '--port',
      '0',
      '--',
      NODE,
      APP,
      'serve',
    ]);
    assert.equal(await run.firstLine(60_000), 'listening');
    assert.deepEqual(await workloads(cp), ['server'], 'registered while it runs');
    const result = await run.stop('SIGTERM', 30_000);
    assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
    assert.match(result.stdout, /after SIGTERM: 200/);
    assert.deepEqual(backend.paths, ['/after-sigterm']);
    assert.deepEqual(await workloads(cp), []);
    assert.deepEqual(await pidsWith(join(dataDir, 'workloads')), []);
  });

  it('restarts a sidecar that crashes, says so, and serves through it again', async (t) => {
    const cp = await startTestControlPlane(t);
    await startBackend(t, cp.plane, cp.url);
    const dataDir = await tempDir(t);
    const outbound = await freePort(t);
    const run = startCli(t, [
      'run',
      ...target(cp, dataDir),
      '--name',
      'resilient',
      '--port',
      '0',
      '--outbound-port',
      String(outbound),
      '--',
      NODE,
      APP,
      'serve',
    ]);
    assert.equal(await run.firstLine(60_000), 'listening');
    assert.equal(await viaProxy(outbound, '/before'), 200);
    const bootstrap = join(dataDir, 'workloads', 'resilient.default', 'bootstrap.json');
    const [sidecar] = await pidsWith(bootstrap);
    assert.ok(sidecar !== undefined, 'the sidecar runs');
    process.kill(sidecar, 'SIGKILL');
    assert.ok(
      await eventually(async () => (await pidsWith(bootstrap)).some((pid) => pid !== sidecar), 20_000),
    );
    assert.ok(await eventually(async () => (await viaProxy(outbound, '/after')) === 200, 30_000));
    const result = await run.stop('SIGTERM', 30_000);
    assert.equal(result.code, 0, `stderr:\n${result.stderr}`);
    assert.match(
      result.stderr,
      /the sidecar of resilient\.default stopped \(killed by SIGKILL\); restarting/,
    );
    for (const pid of await pidsWith(bootstrap)) assert.equal(isAlive(pid), false);
  });

  it('refuses bad input with one line and starts nothing', async (t) => {
    const dataDir = await tempDir(t);
    const notRunning = await runCli(['run', '--data-dir', dataDir, '--', NODE, '-e', '']);
    assertOneLineError(notRunning, 69, /^heddle: Heddle is not running for .* \(start it with `heddle up`/);

    const closed = await freePort(t);
    const unreachable = await runCli([
      'run',
      '--control-plane',
      `http://127.0.0.1:${closed}`,
      '--',
      NODE,
      '-e',
      '',
    ]);
    assertOneLineError(unreachable, 69, /cannot reach the control plane at http:\/\/127\.0\.0\.1:\d+/);

    const badLabels = await runCli(['run', '--labels', 'app', '--', NODE, '-e', '']);
    assertOneLineError(badLabels, 64, /^heddle: invalid label 'app': missing '='/);
    const badValue = await runCli(['run', '--labels', 'app=no spaces', '--', NODE, '-e', '']);
    assertOneLineError(badValue, 64, /invalid value 'no spaces' for label app/);

    const cp = await startTestControlPlane(t);
    const taken = await occupiedPort(t);
    const portTaken = await runCli([
      'run',
      ...target(cp, dataDir),
      '--port',
      String(taken),
      '--',
      NODE,
      '-e',
      '',
    ]);
    assertOneLineError(
      portTaken,
      69,
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken} \\(mesh port http\\)`),
    );
    assert.deepEqual(await workloads(cp), [], 'nothing was registered');

    const noCommand = await runCli(['run', '--name', 'x']);
    assert.equal(noCommand.code, 64);
  });
});
