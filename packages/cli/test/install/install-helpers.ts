// Helpers for the install tests: the seeds' IstioOperators, `heddle` with a data directory and free ports,
// and a `heddle down` after each test that started Heddle.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runCli, type CliResult } from '../helpers/run-cli.ts';

export const TESTDATA = join(import.meta.dirname, 'testdata');
export const SEEDS = join(TESTDATA, 'seeds');

/** `heddle up`'s ports, all picked free, for when install has to start Heddle. */
export const ANY_PORTS = [
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

export function seed(name: string): string {
  return join(SEEDS, name);
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export function heddle(dataDir: string, args: readonly string[], timeoutMs = 120_000): Promise<CliResult> {
  return runCli([...args, '--data-dir', dataDir], { timeoutMs });
}

/**
 * A fresh data directory for a test that starts Heddle: when the test ends, Heddle is stopped (by the pid in
 * the directory) before the directory is removed — in that order, or the pid file would be gone first.
 */
export async function meshDataDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'heddle-install-test-'));
  t.after(async () => {
    if (await exists(join(dir, 'heddle.pid'))) await runCli(['down', '--data-dir', dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}
