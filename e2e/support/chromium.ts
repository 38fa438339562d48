// Headless Chromium for the dashboard tests: the Debian package at /usr/bin/chromium, installed on the spot
// when the tests run as root on a clean machine (CI), driven with playwright-core.
import { execFile } from 'node:child_process';
import { access, mkdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** apt-get may wait for a dpkg lock held by a parallel test's install; these bound the whole thing. */
const APT_UPDATE_TIMEOUT_MS = 90_000;
const APT_INSTALL_TIMEOUT_MS = 150_000;
const APT_LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=120'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Containers often mount a tiny /dev/shm; Chromium then crashes on large pages.
  '--disable-dev-shm-usage',
];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Installs Debian's chromium when it is missing and we may (root); otherwise explains what to do. */
export async function ensureChromium(): Promise<string> {
  if (await exists(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the dashboard tests need Chromium at ${CHROMIUM_PATH}; install it with ` +
        '`sudo apt-get install -y --no-install-recommends chromium` (or run the tests as root to install it automatically)',
    );
  }
  // Test files run in parallel processes; one installs while the others wait for it.
  await withInstallLock(async () => {
    if (await exists(CHROMIUM_PATH)) return;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', [...APT_LOCK_WAIT, 'update'], { env, timeout: APT_UPDATE_TIMEOUT_MS });
    await run('apt-get', [...APT_LOCK_WAIT, 'install', '-y', '--no-install-recommends', 'chromium'], {
      env,
      timeout: APT_INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  });
  if (!(await exists(CHROMIUM_PATH)))
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}

const INSTALL_LOCK = join(tmpdir(), 'heddle-chromium-install.lock');
/** Longer than an install may take: a lock this old was left by a process that died. */
const STALE_LOCK_MS = APT_UPDATE_TIMEOUT_MS + APT_INSTALL_TIMEOUT_MS + 60_000;

/** A directory as a cross-process lock (mkdir is atomic), waited for at most STALE_LOCK_MS. */
async function withInstallLock(work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      await mkdir(INSTALL_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(INSTALL_LOCK).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rmdir(INSTALL_LOCK).catch(() => undefined);
      else if (Date.now() > deadline) throw new Error(`gave up waiting for ${INSTALL_LOCK}`);
      else await sleep(1000);
    }
  }
  try {
    await work();
  } finally {
    await rmdir(INSTALL_LOCK).catch(() => undefined);
  }
}

/**
 * A headless browser. Playwright gives every launch a fresh temporary profile (user-data dir) and removes it
 * when the browser closes, so runs never share cookies, caches or storage.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await ensureChromium();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
