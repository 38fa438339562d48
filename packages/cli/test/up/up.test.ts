// `heddle up`, `down` and `version` as users run them: real processes on loopback. Traffic enters the
// ingress gateway and reaches an app started by `heddle run`; the store survives a restart; bad input is one
// line with nothing left running.
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UpState } from '../../src/up/up-state.ts';
import { startCli } from '../helpers/background-cli.ts';
import { runCli, stackTraceIn } from '../helpers/run-cli.ts';

const ANY_PORTS = [
  '--http-port',
  '0',
  '--xds-port',
  '0',
  '--gateway-port',
  '0',
  '--gateway-admin-port',
  '0',
  '--gateway-health-port',
  '0',
];

const HELLO_YAML = `apiVersion: v1
kind: Service
metadata: { name: hello, namespace: default }
spec:
  selector: { app: hello }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: hello-gateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: [hello.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: hello, namespace: istio-system }
spec:
  hosts: [hello.example.com]
  gateways: [istio-system/hello-gateway]
  http:
    - route: [{ destination: { host: hello.default.svc.cluster.local, port: { number: 80 } } }]
`;

/** An app that answers on $PORT and exits 0 on SIGTERM. */
const HELLO_APP = `const server = require('node:http').createServer((req, res) => res.end('hello from ' + process.env.HEDDLE_WORKLOAD_NAME + ' ' + req.url));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));`;

async function readState(dataDir: string): Promise<UpState> {
  return JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as UpState;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A process that has exited but was not reaped (its parent is gone) counts as stopped. */
async function isAlive(pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z /.test(stat);
}

function viaGateway(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end();
  });
}

async function occupiedPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A fresh data directory whose cleanup first stops any `heddle up` still running in it (a failed test can
 * leave one behind), then removes it: one hook, so the order cannot be wrong.
 */
async function upDataDir(t: TestContext): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'heddle-cli-test-'));
  t.after(async () => {
    if (await exists(join(dataDir, 'heddle.pid'))) await runCli(['down', '--data-dir', dataDir]);
    await rm(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}

describe('heddle up, run, down', { timeout: 300_000 }, () => {
  it('up → apply → traffic through the gateway reaches a `heddle run` app → down', async (t) => {
    const dataDir = await upDataDir(t);
    const up = startCli(t, ['up', '--data-dir', dataDir, ...ANY_PORTS]);
    assert.equal(await up.firstLine(90_000), `Heddle is up (data directory ${dataDir})`);
    const state = await readState(dataDir);
    assert.equal(state.status, 'ready');
    assert.equal(state.pid, up.child.pid);
    assert.equal(
      state.gateway.portOffset,
      state.gateway.httpPort - 80,
      'Gateway port 80 maps to --gateway-port',
    );
    assert.equal((await fetch(`${state.controlPlane.url}/ready`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${state.gateway.healthPort}/healthz/ready`)).status, 200);

    const yamlFile = join(dataDir, 'hello.yaml');
    await writeFile(yamlFile, HELLO_YAML);
    const applied = await runCli(['apply', '-f', yamlFile, '--control-plane', state.controlPlane.url]);
    assert.equal(applied.code, 0, applied.stderr);

    const run = startCli(t, [
      'run',
      '--data-dir',
      dataDir,
      '--name',
      'hello-v1',
      '--labels',
      'app=hello,version=v1',
      '--port',
      '0',
      '--',
      process.execPath,
      '-e',
      HELLO_APP,
    ]);
    assert.equal(await run.firstLine(60_000), 'listening');
    let reply = { status: 0, body: '' };
    for (let attempt = 0; attempt < 100 && reply.status !== 200; attempt++) {
      reply = await viaGateway(state.gateway.httpPort, 'hello.example.com', '/shop');
      if (reply.status !== 200) await sleep(100);
    }
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.body, 'hello from hello-v1 /shop');

    const ran = await run.stop('SIGTERM', 30_000);
    assert.equal(ran.code, 0, ran.stderr);

    const down = await runCli(['down', '--data-dir', dataDir], { timeoutMs: 60_000 });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^Heddle stopped \(pid \d+, [\d.]+ s\)\.$/m);
    const stopped = await up.exited;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stderr, /control plane: ready/);
    assert.match(stopped.stderr, /ingress gateway: ready/);
    assert.equal(stackTraceIn(stopped), undefined);
    assert.equal(await exists(join(dataDir, 'state.json')), false);
    assert.equal(await exists(join(dataDir, 'heddle.pid')), false);
    assert.equal(await isAlive(state.controlPlane.pid), false, 'the control plane stopped');
    assert.equal(await isAlive(state.gateway.pid), false, 'the gateway stopped');
    assert.match(
      await readFile(join(dataDir, 'logs', 'gateway.log'), 'utf8'),
      /gateway ended \(exit code 0\)/,
    );
  });

  it('--detach: runs in the background, refuses a second up, keeps the store across down and up', async (t) => {
    const dataDir = await upDataDir(t);
    const first = await runCli(['up', '--detach', '--data-dir', dataDir, ...ANY_PORTS], {
      timeoutMs: 120_000,
    });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Heddle is up/);
    assert.match(first.stdout, /Stop with `heddle down`\./);
    const state = await readState(dataDir);
    assert.ok(await isAlive(state.pid));

    const yamlFile = join(dataDir, 'hello.yaml');
    await writeFile(yamlFile, HELLO_YAML);
    const env = { HEDDLE_CONTROL_PLANE: state.controlPlane.url };
    assert.equal((await runCli(['apply', '-f', yamlFile], { env })).code, 0);

    const version = await runCli(['version', '--data-dir', dataDir]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(
      version.stdout,
      /^client version: 0\.1\.0\ncontrol plane version: 0\.1\.0\ndata plane version: .+\(1 proxy\)\n$/,
    );

    const second = await runCli(['up', '--data-dir', dataDir, ...ANY_PORTS]);
    assert.equal(second.code, 69, second.stderr);
    assert.equal(
      second.stderr,
      `heddle: Heddle is already running for ${dataDir} (pid ${state.pid}); stop it with \`heddle down\` first\n`,
    );

    assert.equal((await runCli(['down', '--data-dir', dataDir], { timeoutMs: 60_000 })).code, 0);
    assert.equal(await isAlive(state.pid), false);
    const again = await runCli(['down', '--data-dir', dataDir]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^Heddle is not running/);

    const restarted = await runCli(['up', '--detach', '--data-dir', dataDir, ...ANY_PORTS], {
      timeoutMs: 120_000,
    });
    assert.equal(restarted.code, 0, restarted.stderr);
    const url = (await readState(dataDir)).controlPlane.url;
    const listed = await runCli(['get', 'virtualservices', '-A', '-o', 'name', '--control-plane', url]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      /virtualservice\.networking\.istio\.io\/hello/,
      'the config survived the restart',
    );
    assert.equal((await runCli(['down', '--data-dir', dataDir], { timeoutMs: 60_000 })).code, 0);
  });

  it('refuses a taken port and an unusable data directory with one line, starting nothing', async (t) => {
    const dataDir = await upDataDir(t);
    const taken = await occupiedPort(t);
    const busy = await runCli(['up', '--data-dir', dataDir, ...ANY_PORTS, '--gateway-port', String(taken)]);
    assert.equal(busy.code, 69, busy.stderr);
    assert.equal(
      busy.stderr,
      `heddle: cannot listen on 127.0.0.1:${taken} (ingress gateway, Gateway port 80): address already in use\n`,
    );
    assert.equal(busy.stdout, '');
    assert.equal(await exists(join(dataDir, 'heddle.pid')), false);
    assert.equal(await exists(join(dataDir, 'state.json')), false);
    assert.equal(await exists(join(dataDir, 'logs')), false, 'no component was started');

    const detached = await runCli([
      'up',
      '--detach',
      '--data-dir',
      dataDir,
      ...ANY_PORTS,
      '--http-port',
      String(taken),
    ]);
    assert.equal(detached.code, 69);
    assert.match(
      detached.stderr,
      new RegExp(`^heddle: cannot listen on 127\\.0\\.0\\.1:${taken} \\(HTTP API\\)`),
    );

    const file = join(dataDir, 'not-a-directory');
    await writeFile(file, '');
    const unusable = await runCli(['up', '--data-dir', join(file, 'data'), ...ANY_PORTS]);
    assert.equal(unusable.code, 73, unusable.stderr);
    assert.match(
      unusable.stderr,
      /^heddle: cannot use data directory .*not-a-directory\/data: not a directory\n$/,
    );

    const badPort = await runCli(['up', '--data-dir', dataDir, '--http-port', '70000']);
    assert.equal(badPort.code, 64);
    assert.match(badPort.stderr, /^heddle: invalid port '70000' for --http-port/);
  });

  it('version without a control plane prints the client version only', async (t) => {
    const dataDir = await upDataDir(t);
    const closed = await closedPort();
    const offline = await runCli([
      'version',
      '--data-dir',
      dataDir,
      '--control-plane',
      `http://127.0.0.1:${closed}`,
    ]);
    assert.equal(offline.code, 0);
    assert.equal(offline.stdout, 'client version: 0.1.0\n');
    const local = await runCli(['version', '--no-remote', '-o', 'json']);
    assert.deepEqual(JSON.parse(local.stdout), { clientVersion: '0.1.0' });
  });
});
