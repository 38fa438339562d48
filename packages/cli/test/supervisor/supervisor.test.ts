// The supervisor: real child processes, restarted with back-off after a crash, logged per component,
// stopped with SIGTERM then SIGKILL, never left behind when the supervisor itself is killed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { ChildExit, ChildSpec } from '../../src/supervisor/child-spec.ts';
import { restartDelay, DEFAULT_RESTART_POLICY } from '../../src/supervisor/restart-backoff.ts';
import { Supervisor } from '../../src/supervisor/supervisor.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CHILD = join(import.meta.dirname, 'fixtures', 'child.ts');

function spec(name: string, dir: string, args: string[], extra: Partial<ChildSpec> = {}): ChildSpec {
  return {
    name,
    kind: 'node',
    argv: [CHILD, ...args],
    env: process.env,
    logFile: join(dir, 'logs', `${name}.log`),
    stopTimeoutMs: 5_000,
    ...extra,
  };
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

describe('supervisor', { timeout: 120_000 }, () => {
  it('doubles the restart delay up to its cap', () => {
    const policy = { ...DEFAULT_RESTART_POLICY, baseMs: 100, capMs: 1_000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((attempt) => restartDelay(policy, attempt)),
      [100, 200, 400, 800, 1_000, 1_000],
    );
  });

  it('restarts a crashed child after a back-off, and logs both runs to <dir>/logs/<name>.log', async (t) => {
    const dir = await tempDir(t);
    const supervisor = new Supervisor();
    t.after(() => supervisor.killAll());
    const restarts: { exit: ChildExit; delayMs: number }[] = [];
    const pids: number[] = [];
    const child = await supervisor.start(
      spec('flaky', dir, ['crash-once', join(dir, 'marker')], {
        restart: { baseMs: 200, capMs: 1_000, maxRestarts: 3, stableAfterMs: 60_000 },
      }),
      { onStart: (pid) => pids.push(pid), onRestart: (exit, delayMs) => restarts.push({ exit, delayMs }) },
    );
    assert.ok(await eventually(() => pids.length === 2, 20_000), `started ${pids.length} times`);
    assert.deepEqual(restarts, [{ exit: { code: 3, signal: null }, delayMs: 200 }]);
    assert.ok(await eventually(async () => (await readLog(dir, 'flaky')).includes('ready\n'), 10_000));

    const exit = await supervisor.stopAll();
    assert.deepEqual(exit, [{ code: 0, signal: null }], 'the second run stopped cleanly on SIGTERM');
    assert.equal(isAlive(child.pid), false);
    const log = await readLog(dir, 'flaky');
    assert.match(log, /crashing on purpose/);
    assert.match(log, /flaky ended \(exit code 3\)/);
    assert.match(log, /restarting flaky/);
    assert.match(log, /got SIGTERM/);
  });

  it('gives up after maxRestarts crashes in a row', async (t) => {
    const dir = await tempDir(t);
    const supervisor = new Supervisor();
    t.after(() => supervisor.killAll());
    let gaveUp: ChildExit | undefined;
    const child = await supervisor.start(
      spec('broken', dir, ['no-such-mode'], {
        argv: ['-e', 'process.exit(9)'],
        restart: { baseMs: 10, capMs: 20, maxRestarts: 2, stableAfterMs: 60_000 },
      }),
      { onGiveUp: (exit) => (gaveUp = exit) },
    );
    const exit = await child.done;
    assert.deepEqual(exit, { code: 9, signal: null });
    assert.deepEqual(gaveUp, { code: 9, signal: null });
    assert.equal(child.restarts, 2);
  });

  it('stops children last-started first, with SIGKILL after the deadline for one that ignores SIGTERM', async (t) => {
    const dir = await tempDir(t);
    const supervisor = new Supervisor();
    t.after(() => supervisor.killAll());
    const first = await supervisor.start(spec('first', dir, ['serve']));
    const stubborn = await supervisor.start(spec('stubborn', dir, ['ignore-term'], { stopTimeoutMs: 1_000 }));
    assert.ok(await eventually(async () => (await readLog(dir, 'stubborn')).includes('ready'), 10_000));
    assert.ok(await eventually(async () => (await readLog(dir, 'first')).includes('ready'), 10_000));
    const order: string[] = [];
    void first.done.then(() => order.push('first'));
    void stubborn.done.then(() => order.push('stubborn'));
    const exits = await supervisor.stopAll();
    assert.deepEqual(exits, [
      { code: null, signal: 'SIGKILL' },
      { code: 0, signal: null },
    ]);
    assert.deepEqual(order, ['stubborn', 'first']);
    assert.match(await readLog(dir, 'stubborn'), /ignoring SIGTERM/);
  });

  it('runs a command under the reaper: its exit code comes back, and SIGTERM reaches it', async (t) => {
    const dir = await tempDir(t);
    const supervisor = new Supervisor();
    t.after(() => supervisor.killAll());
    const quick = await supervisor.start({
      name: 'quick',
      kind: 'command',
      argv: ['sh', '-c', 'exit 42'],
      env: process.env,
      stopTimeoutMs: 5_000,
    });
    assert.deepEqual(await quick.done, { code: 42, signal: null });

    const trapping = await supervisor.start({
      name: 'trapping',
      kind: 'command',
      argv: ['sh', '-c', 'trap "exit 5" TERM; echo ready; while true; do sleep 0.05; done'],
      env: process.env,
      logFile: join(dir, 'logs', 'trapping.log'),
      stopTimeoutMs: 5_000,
    });
    assert.ok(await eventually(async () => (await readLog(dir, 'trapping')).includes('ready'), 10_000));
    assert.deepEqual(await trapping.stop(), { code: 5, signal: null });

    const missing = await supervisor.start({
      name: 'missing',
      kind: 'command',
      argv: ['heddle-no-such-command'],
      env: process.env,
      logFile: join(dir, 'logs', 'missing.log'),
      stopTimeoutMs: 5_000,
    });
    assert.deepEqual(await missing.done, { code: 127, signal: null });
    assert.match(await readLog(dir, 'missing'), /cannot start heddle-no-such-command: command not found/);
  });

  it('leaves no orphans: the children stop when the supervisor is killed with SIGKILL', async (t) => {
    const dir = await tempDir(t);
    const supervisorProcess = spawn(
      process.execPath,
      [join(import.meta.dirname, 'fixtures', 'supervise-and-wait.ts'), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => supervisorProcess.kill('SIGKILL'));
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      supervisorProcess.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
      });
      supervisorProcess.once('exit', () => reject(new Error('the supervisor ended early')));
    });
    const { child, reaper } = JSON.parse(line) as { child: number; reaper: number };
    assert.ok(isAlive(child) && isAlive(reaper));
    t.after(() => {
      for (const pid of [child, reaper]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    supervisorProcess.kill('SIGKILL');
    assert.ok(await eventually(() => !isAlive(child), 20_000), 'the node child stopped');
    assert.ok(await eventually(() => !isAlive(reaper), 20_000), 'the command and its reaper stopped');
    assert.match(await readFile(join(dir, 'served.log'), 'utf8'), /got SIGTERM/);
  });
});

async function readLog(dir: string, name: string): Promise<string> {
  return readFile(join(dir, 'logs', `${name}.log`), 'utf8').catch(() => '');
}
