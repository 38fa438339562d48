// The demo's lifecycle: `--keep` leaves the whole mesh running (proxy-status sees every proxy SYNCED) until
// `heddle down --data-dir` stops it; Ctrl+C (SIGINT) while it starts stops everything it started, exit 130.
// Nothing is left running after either.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DemoSummary } from '../packages/cli/src/demo/demo-summary.ts';
import type { UpState } from '../packages/cli/src/up/up-state.ts';

const REPO = join(import.meta.dirname, '..');
const HEDDLE = join(REPO, 'packages', 'cli', 'bin', 'heddle.ts');
const RUN_TIMEOUT_MS = 360_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const started: ChildProcess[] = [];
const dirs: string[] = [];

function heddle(
  args: readonly string[],
  onStderr?: (text: string, child: ChildProcess) => void,
): Promise<Run> {
  // e2e/demo.test.ts may run a demo at the same time: leave the issuer's preferred port to that one.
  const env: Record<string, string | undefined> = { ...process.env, HEDDLE_DEMO_ISSUER_PORT: '0' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [HEDDLE, ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    onStderr?.(stderr, child);
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(text))
      found.push(`${entry}: ${commandLine.replaceAll('\0', ' ').slice(0, 160)}`);
  }
  return found;
}

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'heddle-demo-life-'));
  dirs.push(dir);
  return dir;
}

after(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) {
    // A mesh left by a failed test: its supervisor's pid is in the data directory.
    const pid = Number((await readFile(join(dir, 'heddle.pid'), 'utf8').catch(() => '')).trim());
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
});

describe('heddle demo --keep, then heddle down', { timeout: RUN_TIMEOUT_MS * 2 }, () => {
  it('leaves every proxy running and SYNCED until heddle down --data-dir stops it all', async () => {
    const dataDir = await newDataDir();
    const demo = await heddle(['demo', '--duration', '2s', '--keep', '--json', '--data-dir', dataDir]);
    assert.equal(demo.code, 0, demo.stderr);
    const summary = JSON.parse(demo.stdout.trim().split('\n').at(-1) ?? '') as DemoSummary;
    assert.equal(summary.kept, true);
    assert.match(demo.stderr, /stop it with: heddle down --data-dir /);

    const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as UpState;
    assert.equal(state.controlPlane.url, summary.where.controlPlane);
    const status = await heddle(['proxy-status', '-o', 'json', '--control-plane', state.controlPlane.url]);
    assert.equal(status.code, 0, status.stderr);
    const proxies = JSON.parse(status.stdout) as { workload: string; types: { status: string }[] }[];
    assert.equal(proxies.length, 11);
    for (const proxy of proxies)
      assert.ok(
        proxy.types.every((type) => type.status === 'SYNCED' || type.status === 'NOT SENT'),
        proxy.workload,
      );
    assert.notDeepEqual(await processesMentioning(dataDir), []);

    const down = await heddle(['down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /Heddle stopped/);
    assert.deepEqual(await processesMentioning(dataDir), []);
    await assert.rejects(access(join(dataDir, 'state.json')));
  });
});

describe('Ctrl+C while the demo starts', { timeout: RUN_TIMEOUT_MS }, () => {
  it('stops everything it started and exits 130', async () => {
    const dataDir = await newDataDir();
    let interrupted = false;
    const demo = await heddle(['demo', '--duration', '30s', '--data-dir', dataDir], (stderr, child) => {
      // Once the config is in, the gateway and the workloads are starting: the most there is to clean up.
      if (!interrupted && /e-commerce config: ready/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    assert.ok(interrupted, demo.stderr);
    assert.equal(demo.code, 130, demo.stderr);
    assert.match(demo.stderr, /demo interrupted; stopping everything/);
    assert.deepEqual(await processesMentioning(dataDir), []);
    await assert.rejects(access(join(dataDir, 'heddle.pid')));
  });
});
