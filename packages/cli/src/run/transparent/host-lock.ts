// A machine-wide lock around the bridge and address bookkeeping of transparent workloads: two `heddle run`s
// starting (or the last one stopping) at once must not pick the same address, nor delete the bridge the
// other is attaching to. The lock is a directory (mkdir is atomic) holding the owner's pid; a lock whose
// owner has died is taken over.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK_NAME = 'heddle-transparent.lock';
const WAIT_MS = 30_000;

export function defaultLockPath(): string {
  return join(existsSync('/run') ? '/run' : '/tmp', LOCK_NAME);
}

/** Runs `work` holding the lock; rejects when it cannot be had within 30 s. */
export async function withHostLock<T>(work: () => Promise<T>, path = defaultLockPath()): Promise<T> {
  await acquire(path);
  try {
    return await work();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}

async function acquire(path: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await mkdir(path, { mode: 0o700 });
      await writeFile(join(path, 'pid'), `${process.pid}\n`);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(join(path, 'pid'), 'utf8').catch(() => '')).trim());
    // No pid yet: its owner is between mkdir and writeFile, unless it died there (then the deadline ends it).
    if (owner > 0 && !isAlive(owner)) {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`${path} is held by process ${owner || 'unknown'} for more than ${WAIT_MS / 1000} s`);
    await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
