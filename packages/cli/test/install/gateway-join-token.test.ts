// The join token of a gateway `heddle install` adds: the gateway (heddle-proxy, under heddle up's supervisor)
// reads it before each certificate request, and a restart gets a token issued at that moment — so a gateway
// restarted after its first token expired still gets its certificate. The CA's clock is moved instead of
// waiting out a token's life.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { silentLogger, startControlPlane } from '@heddle/control-plane';
import { attachInstalledMesh } from '../../src/install/installed-mesh.ts';
import { planInstall } from '../../src/install/install-plan.ts';
import { installPaths, writeInstalledProfile, type RunningInstall } from '../../src/install/install-state.ts';
import { startXdsRelay } from '../../src/install/xds-relay.ts';
import { Supervisor } from '../../src/supervisor/supervisor.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const DAY_MS = 24 * 3600 * 1000;
const EGRESS = 'istio-egressgateway';

/** The serial of the workload certificate (`sds:default`) the proxy's admin API shows, if any. */
async function workloadCertificate(adminPort: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${adminPort}/certs`);
    const body = (await response.json()) as {
      certificates?: { cert_chain?: { path?: string; serial_number?: string }[] }[];
    };
    for (const entry of body.certificates ?? [])
      for (const certificate of entry.cert_chain ?? [])
        if (certificate.path === 'sds:default') return certificate.serial_number;
  } catch {
    // Not answering yet (starting, or restarting).
  }
  return undefined;
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`not in time: ${what}`);
    await sleep(100);
  }
}

describe('join tokens of installed gateways', { timeout: 90_000 }, () => {
  it('gives a restarted gateway a token issued then, so it gets a certificate after its first token expired', async (t) => {
    const dataDir = await tempDir(t);
    let caClockShiftMs = 0;
    const plane = await startControlPlane({
      dataDir: join(dataDir, 'control'),
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      debounce: { quietMs: 5, maxDelayMs: 50 },
      logger: silentLogger,
      ca: { now: () => new Date(Date.now() + caClockShiftMs) },
    });
    t.after(() => plane.close());
    const url = `http://127.0.0.1:${plane.httpPort}`;
    const xdsAddress = `127.0.0.1:${plane.xdsPort}`;
    await writeInstalledProfile(dataDir, {
      version: 1,
      installedAt: new Date().toISOString(),
      origins: [],
      plan: planInstall(
        { profile: 'minimal', components: { egressGateways: [{ name: EGRESS, enabled: true }] } },
        'egress',
      ),
    });

    const supervisor = new Supervisor();
    t.after(() => supervisor.stopAll());
    const relay = await startXdsRelay(xdsAddress, '127.0.0.1');
    t.after(() => relay.close());
    const notes: string[] = [];
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const mesh = attachInstalledMesh({
      dataDir,
      host: '127.0.0.1',
      supervisor,
      io: {
        stdout: { write: () => true },
        stderr: { write: (text: string) => notes.push(text) },
        stdin: (async function* () {})(),
        env,
      },
      env,
      logLevel: 'warning',
      timeoutMs: 30_000,
      primary: { url, xdsAddress },
      ingress: { relay, httpPort: 0, portOffset: 0, adminPort: 0, healthPort: 0 },
    });
    t.after(() => mesh.close());
    await mesh.reconcile();
    assert.deepEqual(notes, [], await readFile(join(dataDir, 'logs', `gateway-${EGRESS}.log`), 'utf8'));

    const running = JSON.parse(await readFile(installPaths(dataDir).running, 'utf8')) as RunningInstall;
    const egress = running.gateways.find((gateway) => gateway.name === EGRESS);
    assert.ok(egress, 'the egress gateway runs');
    const bootstrap = JSON.parse(
      await readFile(join(dataDir, 'gateways', `${EGRESS}.istio-system`, 'bootstrap.json'), 'utf8'),
    ) as { ca?: { tokenFile?: string }; listenerAddress?: string; privilegedPortOffset?: number };
    const tokenFile = bootstrap.ca?.tokenFile ?? '';
    assert.equal(tokenFile, join(dataDir, 'gateways', `${EGRESS}.istio-system`, 'join-token'));
    assert.equal(bootstrap.listenerAddress, '127.0.0.1');
    assert.equal(bootstrap.privilegedPortOffset, egress.portOffset);
    const firstCertificate = await eventually('the first certificate', () =>
      workloadCertificate(egress.adminPort),
    );
    const firstToken = (await readFile(tokenFile, 'utf8')).trim();

    // Eight days on for the CA: the first token (a week) is past its expiry and the clock skew allowed.
    caClockShiftMs = 8 * DAY_MS;
    const firstExpiry = (decodeJwt(firstToken).exp ?? 0) * 1000;
    assert.ok(firstExpiry + 60_000 < Date.now() + caClockShiftMs, 'the first token has expired for the CA');

    const child = supervisor.children.find((entry) => entry.spec.name === `gateway-${EGRESS}`);
    assert.ok(child?.pid, 'the gateway process');
    const firstPid = child.pid;
    process.kill(firstPid, 'SIGKILL');

    const secondCertificate = await eventually('a certificate after the restart', async () => {
      if (child.pid === firstPid) return undefined;
      const serial = await workloadCertificate(egress.adminPort);
      return serial !== undefined && serial !== firstCertificate ? serial : undefined;
    });
    assert.notEqual(secondCertificate, firstCertificate);
    const secondToken = (await readFile(tokenFile, 'utf8')).trim();
    assert.notEqual(secondToken, firstToken);
    const issuedAt = (decodeJwt(secondToken).iat ?? 0) * 1000;
    assert.ok(issuedAt >= Date.now() + caClockShiftMs - 60_000, 'the new token was issued after the shift');
    assert.deepEqual(notes, []);
  });
});
