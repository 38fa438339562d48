// --set overrides, verify-install (a match and a mismatch), x precheck and uninstall, as users run them.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { runCli, stackTraceIn } from '../helpers/run-cli.ts';
import { ANY_PORTS, TESTDATA, meshDataDir, exists, heddle, seed } from './install-helpers.ts';

interface Running {
  readonly revisions: Record<string, { url: string }>;
  readonly gateways: { name: string; revision: string }[];
}

async function readRunning(dataDir: string): Promise<Running> {
  return JSON.parse(await readFile(join(dataDir, 'install', 'running.json'), 'utf8')) as Running;
}

async function meshConfigOf(url: string, name = 'istio'): Promise<unknown> {
  const response = await fetch(`${url}/apis/v1/resources/ConfigMap/istio-system/${name}`);
  const body = (await response.json()) as { data: { mesh: string } };
  return parse(body.data.mesh);
}

async function occupiedPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

describe('heddle install --set, verify-install, x precheck, uninstall', { timeout: 300_000 }, () => {
  it('--set overrides the files, and verify-install tells a match from a mismatch', async (t) => {
    const dataDir = await meshDataDir(t);
    const installed = await heddle(dataDir, [
      'install',
      '-f',
      join(TESTDATA, 'base-default.yaml'),
      '-f',
      seed('000-19-istiooperator.yaml'),
      '--set',
      'meshConfig.accessLogFile=/dev/stdout',
      '--set',
      'meshConfig.defaultConfig.concurrency=4',
      '--set',
      'components.egressGateways[name:istio-egressgateway].enabled=true',
      '--set',
      'values.global.proxy.resources.limits.memory=1Gi',
      ...ANY_PORTS,
    ]);
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(installed.stdout, /accessLogFile: \/dev\/stdout/);
    assert.match(installed.stdout, /outboundTrafficPolicy\.mode: ALLOW_ANY/, 'the first file still counts');
    assert.match(installed.stdout, /proxy workers {5}4 /);
    assert.match(installed.stdout, /egress gateway {4}istio-egressgateway\.istio-system/);
    assert.match(installed.stdout, /--max-old-space-size=768 .*1Gi memory limit/);

    const running = await readRunning(dataDir);
    const url = running.revisions['']?.url ?? '';
    assert.deepEqual(await meshConfigOf(url), {
      accessLogFile: '/dev/stdout',
      outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
      defaultConfig: { concurrency: 4 },
    });
    assert.deepEqual(
      running.gateways.map((gateway) => gateway.name),
      ['istio-ingressgateway', 'istio-egressgateway'],
    );
    const egress = await readFile(
      join(dataDir, 'gateways', 'istio-egressgateway.istio-system', 'bootstrap.json'),
      'utf8',
    );
    assert.equal((JSON.parse(egress) as { concurrency: number }).concurrency, 4);

    const verified = await heddle(dataDir, ['verify-install']);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(
      verified.stdout,
      /✔ Deployment: istio-egressgateway\.istio-system checked successfully \(ready, SYNCED with istiod\)/,
    );

    // Against another IstioOperator, the running mesh does not match.
    const other = await heddle(dataDir, ['verify-install', '-f', seed('000-01-istiooperator.yaml')]);
    assert.equal(other.code, 79, other.stdout);
    assert.match(
      other.stdout,
      /✘ ConfigMap: istio\.istio-system differs from the IstioOperator in accessLogFile|✘ ConfigMap: istio\.istio-system differs from the IstioOperator in .*enableTracing/,
    );
    assert.match(other.stdout, /✘ 1 check failed/);

    // Someone edits the ConfigMap behind install's back: verify-install notices.
    const edited = join(dataDir, 'edited.yaml');
    await writeFile(
      edited,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: |\n    accessLogFile: /tmp/other.log\n',
    );
    assert.equal((await runCli(['apply', '-f', edited, '--control-plane', url])).code, 0);
    const drifted = await heddle(dataDir, ['verify-install']);
    assert.equal(drifted.code, 79);
    assert.match(
      drifted.stdout,
      /✘ ConfigMap: istio\.istio-system differs from the IstioOperator in accessLogFile, outboundTrafficPolicy, defaultConfig/,
    );

    const removed = await heddle(dataDir, ['uninstall', '--purge']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(await exists(join(dataDir, 'install')), false);
    assert.equal(await exists(join(dataDir, 'heddle.pid')), false, 'purge stops Heddle');
    const notRunning = await heddle(dataDir, ['verify-install']);
    assert.equal(notRunning.code, 69);
    assert.match(notRunning.stdout, /✘ Heddle is not running/);
  });

  it('refuses a bad --set as a usage error, and an override that breaks the IstioOperator with exit 79', async (t) => {
    const dataDir = await meshDataDir(t);
    const usage = await heddle(dataDir, ['install', '--set', 'meshConfig.accessLogFile', ...ANY_PORTS]);
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /invalid --set 'meshConfig.accessLogFile': missing '='/);
    const broken = await heddle(dataDir, [
      'install',
      '-f',
      seed('000-19-istiooperator.yaml'),
      '--set',
      'profile=production',
      ...ANY_PORTS,
    ]);
    assert.equal(broken.code, 79, broken.stderr);
    assert.match(
      broken.stderr,
      /\(--set overrides\)\) spec\.profile: "production" is not an installation profile/,
    );
    assert.equal(stackTraceIn(broken), undefined);
    assert.equal(await exists(join(dataDir, 'heddle.pid')), false);
    assert.equal(await exists(join(dataDir, 'install')), false);
  });

  it('x precheck: passes on a fresh data directory, names a taken port, and sees an installation', async (t) => {
    const dataDir = await meshDataDir(t);
    const ports = [
      '--http-port',
      '0',
      '--xds-port',
      '0',
      '--gateway-port',
      '0',
      '--gateway-admin-port',
      '0',
      '--gateway-health-port',
    ];
    const fresh = await heddle(dataDir, ['x', 'precheck', ...ports, '0']);
    assert.equal(fresh.code, 0, fresh.stdout);
    assert.match(fresh.stdout, /✔ Node\.js \d+/);
    assert.match(fresh.stdout, /✔ data directory .* is writable/);
    assert.match(fresh.stdout, /✔ no existing installation in this data directory/);
    assert.match(fresh.stdout, /Heddle is safe to install or upgrade!/);

    const taken = await occupiedPort(t);
    const busy = await heddle(dataDir, ['x', 'precheck', ...ports, String(taken)]);
    assert.equal(busy.code, 69);
    assert.match(busy.stdout, new RegExp(`✘ .*${taken}.*`));
    assert.match(busy.stdout, /✘ 1 issue found/);

    assert.equal(
      (await heddle(dataDir, ['install', '-f', seed('000-19-istiooperator.yaml'), ...ANY_PORTS])).code,
      0,
    );
    const running = await heddle(dataDir, ['x', 'precheck']);
    assert.equal(running.code, 0, running.stdout);
    assert.match(running.stdout, /✔ Heddle is running \(pid \d+\)/);
    assert.match(
      running.stdout,
      /✔ existing installation: the default revision \(profile default, installed .*, running\)/,
    );
  });
});
