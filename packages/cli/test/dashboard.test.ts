// `heddle dashboard`: prints the URL of the web dashboard the control plane serves, exits 69 when nothing
// answers or the dashboard cannot be served, and with --open hands the URL to xdg-open when there is one.
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, startControlPlane } from '@heddle/control-plane';
import { runCli } from './helpers/run-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

async function startPlane(t: TestContext, dashboardDir?: string): Promise<string> {
  const plane = await startControlPlane({
    dataDir: await tempDir(t),
    xdsAddress: '127.0.0.1:0',
    httpAddress: '127.0.0.1:0',
    logger: silentLogger,
    ca: false,
    scrapeIntervalSeconds: 0,
    ...(dashboardDir !== undefined ? { dashboardDir } : {}),
  });
  t.after(() => plane.close());
  return `http://127.0.0.1:${plane.httpPort}`;
}

async function builtDashboard(t: TestContext): Promise<string> {
  const dir = join(await tempDir(t), 'dist');
  await mkdir(dir);
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Heddle</title>');
  return dir;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('heddle dashboard', { timeout: 90_000 }, () => {
  it('exits 69 with one line when the control plane cannot be reached', async (t) => {
    const home = await tempDir(t);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['dashboard', '--control-plane', url], { env: { HEDDLE_HOME: home } });
    assert.equal(result.code, 69);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot reach the control plane at ${url}`));
  });

  it('prints the dashboard URL of the control plane that serves it', async (t) => {
    const base = await startPlane(t, await builtDashboard(t));
    const result = await runCli(['dashboard', '--control-plane', base]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${base}/dashboard/\n`);
    assert.equal(result.stderr, '');
    const viaEnv = await runCli(['dashboard'], { env: { HEDDLE_CONTROL_PLANE: base } });
    assert.equal(viaEnv.stdout, `${base}/dashboard/\n`);
  });

  it('exits 69 saying how to build the dashboard when it is not built', async (t) => {
    const base = await startPlane(t, await tempDir(t));
    const result = await runCli(['dashboard', '--control-plane', base]);
    assert.equal(result.code, 69);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /the dashboard is not built: run `npm run generate -w @heddle\/dashboard`/);
  });

  it('exits 69 when the control plane runs without a dashboard folder', async (t) => {
    const base = await startPlane(t);
    const result = await runCli(['dashboard', '--control-plane', base]);
    assert.equal(result.code, 69);
    assert.match(result.stderr, /does not serve the dashboard/);
  });

  it('--open starts xdg-open with the URL, and is only a note without one', async (t) => {
    const base = await startPlane(t, await builtDashboard(t));
    const bin = await tempDir(t);
    const record = join(bin, 'opened.txt');
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const opened = await runCli(['dashboard', '--open', '--control-plane', base], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
    });
    assert.equal(opened.code, 0, opened.stderr);
    assert.equal(opened.stdout, `${base}/dashboard/\n`);
    let seen = '';
    for (let i = 0; i < 100 && seen === ''; i++) {
      seen = await readFile(record, 'utf8').catch(() => '');
      if (seen === '') await sleep(50);
    }
    assert.equal(seen, `${base}/dashboard/`);

    const without = await runCli(['dashboard', '--open', '--control-plane', base], {
      env: { PATH: await tempDir(t) },
    });
    assert.equal(without.code, 0);
    assert.equal(without.stdout, `${base}/dashboard/\n`);
    assert.match(without.stderr, /xdg-open was not found/);
  });

  it('explains itself in --help with examples', async () => {
    const result = await runCli(['dashboard', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: heddle dashboard\|dash \[options\]/);
    assert.match(result.stdout, /heddle dashboard --open/);
    assert.match(result.stdout, /69 {2}the control plane cannot be reached/);
  });
});
