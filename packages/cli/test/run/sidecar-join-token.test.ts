// The join token of a `heddle run` sidecar lives in a file that heddle run keeps fresh: a sidecar restarted after
// the registration's token expired gets a token issued then, and with it a certificate. The CA's clock is
// moved instead of waiting out a token's life.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { silentLogger, startControlPlane } from '@heddle/control-plane';
import { startCli } from '../helpers/background-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { pidsWith } from './run-helpers.ts';

const APP = join(import.meta.dirname, 'fixtures', 'app.ts');
const DAY_MS = 24 * 3600 * 1000;

async function workloadCertificate(adminPort: number): Promise<string | undefined> {
  try {
    const body = (await (await fetch(`http://127.0.0.1:${adminPort}/certs`)).json()) as {
      certificates?: { cert_chain?: { path?: string; serial_number?: string }[] }[];
    };
    for (const entry of body.certificates ?? [])
      for (const certificate of entry.cert_chain ?? [])
        if (certificate.path === 'sds:default') return certificate.serial_number;
  } catch {
    // Not answering (yet).
  }
  return undefined;
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`not in time: ${what}`);
    await sleep(100);
  }
}

describe('the join token of a heddle run sidecar', { timeout: 120_000 }, () => {
  it('is a file kept fresh: a sidecar restarted after the first token expired gets a certificate', async (t) => {
    let caClockShiftMs = 0;
    const plane = await startControlPlane({
      dataDir: await tempDir(t),
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      debounce: { quietMs: 5, maxDelayMs: 50 },
      logger: silentLogger,
      ca: { now: () => new Date(Date.now() + caClockShiftMs) },
    });
    t.after(() => plane.close());
    const dataDir = await tempDir(t);
    const run = startCli(t, [
      'run',
      '--control-plane',
      `http://127.0.0.1:${plane.httpPort}`,
      '--xds-address',
      `127.0.0.1:${plane.xdsPort}`,
      '--data-dir',
      dataDir,
      '--name',
      'keeper',
      '--port',
      '0',
      '--',
      process.execPath,
      APP,
      'serve',
    ]);
    assert.equal(await run.firstLine(60_000), 'listening');
    const workloadDir = join(dataDir, 'workloads', 'keeper.default');
    const bootstrapFile = join(workloadDir, 'bootstrap.json');
    const bootstrap = JSON.parse(await readFile(bootstrapFile, 'utf8')) as {
      admin: { port: number };
      ca?: { token?: string; tokenFile?: string };
    };
    const tokenFile = join(workloadDir, 'join-token');
    assert.deepEqual(bootstrap.ca, { tokenFile }, 'the token is in a file, not in the bootstrap');
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    const firstToken = (await readFile(tokenFile, 'utf8')).trim();
    assert.equal(decodeJwt(firstToken).sub, 'system:serviceaccount:default:default');
    const firstCertificate = await eventually('the first certificate', () =>
      workloadCertificate(bootstrap.admin.port),
    );

    // Eight days on for the CA: the registration's token (a week) has expired.
    caClockShiftMs = 8 * DAY_MS;
    const [sidecar] = await pidsWith(bootstrapFile);
    assert.ok(sidecar !== undefined, 'the sidecar runs');
    process.kill(sidecar, 'SIGKILL');
    const secondCertificate = await eventually('a certificate after the restart', async () => {
      const pids = await pidsWith(bootstrapFile);
      if (pids.length === 0 || pids.includes(sidecar)) return undefined;
      const serial = await workloadCertificate(bootstrap.admin.port);
      return serial !== undefined && serial !== firstCertificate ? serial : undefined;
    });
    assert.notEqual(secondCertificate, firstCertificate);
    const secondToken = (await readFile(tokenFile, 'utf8')).trim();
    assert.ok(
      (decodeJwt(secondToken).iat ?? 0) * 1000 >= Date.now() + caClockShiftMs - 60_000,
      'a token issued after the shift',
    );

    const result = await run.stop('SIGTERM', 30_000);
    assert.doesNotMatch(result.stderr, /could not renew the join token/);
  });
});
