// Revisions and the canary upgrade: a second control plane side by side (own ports, own meshConfig, same
// store), workloads picking a revision by label, `heddle upgrade` moving workloads and gateways one at a
// time and `--rollback` moving them back — with requests flowing through the gateway and between
// workloads the whole time, and none failing.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { startCli } from '../helpers/background-cli.ts';
import { runCli } from '../helpers/run-cli.ts';
import { ANY_PORTS, TESTDATA, meshDataDir, heddle } from './install-helpers.ts';

const NODE = process.execPath;
const SERVER = join(import.meta.dirname, 'fixtures', 'hello-server.ts');
const LOOP = join(import.meta.dirname, 'fixtures', 'request-loop.ts');

interface Running {
  readonly revisions: Record<string, { url: string; pid?: number }>;
  readonly gateways: { name: string; revision: string; httpPort: number }[];
}

async function readRunning(dataDir: string): Promise<Running> {
  return JSON.parse(await readFile(join(dataDir, 'install', 'running.json'), 'utf8')) as Running;
}

async function connectedProxies(url: string): Promise<string[]> {
  const statuses = (await (await fetch(`${url}/debug/syncz`)).json()) as {
    workload: string;
    namespace: string;
  }[];
  return statuses.map((status) => `${status.workload}.${status.namespace}`).sort();
}

async function meshConfigSeenBy(url: string): Promise<unknown> {
  const response = await fetch(`${url}/apis/v1/resources/ConfigMap/istio-system/istio`);
  return parse(((await response.json()) as { data: { mesh: string } }).data.mesh);
}

function viaGateway(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers: { host: 'hello.example.com' },
        timeout: 5_000,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('revisions and the canary upgrade', { timeout: 300_000 }, () => {
  it('installs 1-13 beside the default, upgrades and rolls back with no failed request', async (t) => {
    const dataDir = await meshDataDir(t);
    const base = await heddle(dataDir, ['install', '-f', join(TESTDATA, 'base-default.yaml'), ...ANY_PORTS]);
    assert.equal(base.code, 0, base.stderr);
    const canary = await heddle(dataDir, ['install', '-f', join(TESTDATA, 'revision-1-13.yaml'), '--verify']);
    assert.equal(canary.code, 0, `${canary.stdout}\n${canary.stderr}`);
    assert.match(canary.stdout, /profile minimal, revision 1-13/);
    assert.match(canary.stdout, /control plane {5}istiod-1-13, 1 replica/);
    assert.match(canary.stdout, /meshConfig {8}ConfigMap istio-system\/istio-1-13/);
    assert.match(canary.stdout, /✔ Deployment: istiod-1-13\.istio-system checked successfully/);

    // Side by side: own ports, each reading its own meshConfig from the same store.
    let running = await readRunning(dataDir);
    const primary = running.revisions['']?.url ?? '';
    const revised = running.revisions['1-13']?.url ?? '';
    assert.notEqual(primary, revised);
    assert.deepEqual(await meshConfigSeenBy(primary), {
      accessLogFile: '/dev/stdout',
      outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    });
    assert.equal(
      ((await meshConfigSeenBy(revised)) as { accessLogFile: string }).accessLogFile,
      '/dev/stdout',
    );
    assert.equal(((await meshConfigSeenBy(revised)) as { enableAutoMtls: boolean }).enableAutoMtls, true);

    assert.equal(
      (await runCli(['apply', '-f', join(TESTDATA, 'hello-mesh.yaml'), '--control-plane', primary])).code,
      0,
    );
    const runArgs = ['run', '--data-dir', dataDir, '--port', 'http=0'];
    const stable = startCli(t, [
      ...runArgs,
      '--name',
      'hello-v1',
      '--labels',
      'app=hello',
      '--',
      NODE,
      SERVER,
    ]);
    const pinned = startCli(t, [
      ...runArgs,
      '--name',
      'hello-canary',
      '--labels',
      'app=hello,istio.io/rev=1-13',
      '--',
      NODE,
      SERVER,
    ]);
    assert.equal(await stable.firstLine(60_000), 'listening');
    assert.equal(await pinned.firstLine(60_000), 'listening');
    await eventually(async () => (await connectedProxies(revised)).includes('hello-canary.default'));
    assert.ok((await connectedProxies(primary)).includes('hello-v1.default'));

    const unknown = await runCli(['run', '--data-dir', dataDir, '--revision', '9-99', '--', NODE, '-e', '0']);
    assert.equal(unknown.code, 69);
    assert.match(
      unknown.stderr,
      /revision 9-99 is not running \(install it with `heddle install --revision 9-99`\)/,
    );

    // Traffic: a mesh client calling hello through its sidecar, and this test through the ingress gateway.
    const stopFile = join(dataDir, 'stop-loop');
    const client = startCli(t, [
      'run',
      '--data-dir',
      dataDir,
      '--name',
      'client',
      '--',
      NODE,
      LOOP,
      stopFile,
      '3000',
    ]);
    assert.equal(await client.firstLine(60_000), 'looping');
    const gatewayPort =
      running.gateways.find((gateway) => gateway.name === 'istio-ingressgateway')?.httpPort ?? 0;
    const statuses: number[] = [];
    let looping = true;
    const gatewayLoop = (async () => {
      while (looping && statuses.length < 3000) {
        statuses.push(await viaGateway(gatewayPort));
        await sleep(20);
      }
    })();
    await sleep(1_000);

    const upgraded = await heddle(dataDir, ['upgrade', '--revision', '1-13', '--verify']);
    assert.equal(upgraded.code, 0, `${upgraded.stdout}\n${upgraded.stderr}`);
    assert.match(upgraded.stdout, /✔ client\.default: the default revision → revision 1-13, SYNCED/);
    assert.match(upgraded.stdout, /✔ hello-v1\.default: the default revision → revision 1-13, SYNCED/);
    assert.doesNotMatch(upgraded.stdout, /hello-canary/, 'already on 1-13');
    assert.match(
      upgraded.stdout,
      /✔ gateway istio-ingressgateway\.istio-system: follows revision 1-13, SYNCED/,
    );
    assert.match(upgraded.stdout, /✔ Heddle is installed and verified successfully/);
    assert.deepEqual(await connectedProxies(revised), [
      'client.default',
      'hello-canary.default',
      'hello-v1.default',
      'istio-ingressgateway.istio-system',
    ]);
    assert.deepEqual(await connectedProxies(primary), []);

    const refused = await heddle(dataDir, ['uninstall', '--revision', '1-13']);
    assert.equal(refused.code, 69);
    assert.match(
      refused.stderr,
      /revision 1-13 still serves client\.default, hello-canary\.default, hello-v1\.default, the gateways/,
    );
    await sleep(1_000);

    const rolledBack = await heddle(dataDir, ['upgrade', '--rollback']);
    assert.equal(rolledBack.code, 0, `${rolledBack.stdout}\n${rolledBack.stderr}`);
    assert.match(rolledBack.stdout, /✔ hello-canary\.default: revision 1-13 → the default revision, SYNCED/);
    assert.match(
      rolledBack.stdout,
      /✔ gateway istio-ingressgateway\.istio-system: follows the default revision, SYNCED/,
    );
    assert.deepEqual(await connectedProxies(revised), []);
    await sleep(1_000);

    await writeFile(stopFile, '');
    looping = false;
    await gatewayLoop;
    assert.ok(statuses.length > 20, `only ${statuses.length} requests through the gateway`);
    assert.deepEqual(
      statuses.filter((status) => status !== 200),
      [],
      `every request through the gateway succeeded; the gateway logged:\n${(
        await readFile(join(dataDir, 'logs', 'gateway.log'), 'utf8')
      )
        .split('\n')
        .filter((line) => /" 5\d\d /.test(line))
        .join('\n')}`,
    );
    const clientDone = await client.exited;
    assert.equal(clientDone.code, 0, clientDone.stdout + clientDone.stderr);
    assert.match(clientDone.stdout, /^\d+ ok, 0 failed$/m);

    const removed = await heddle(dataDir, ['uninstall', '--revision', '1-13']);
    assert.equal(removed.code, 0, removed.stderr);
    running = await readRunning(dataDir);
    assert.equal(running.revisions['1-13'], undefined);
    await stable.stop('SIGTERM');
    await pinned.stop('SIGTERM');
  });
});
