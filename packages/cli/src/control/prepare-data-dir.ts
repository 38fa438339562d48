// Creates the control plane's data directory and proves it writable before anything starts listening.
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';

/** Resolves to the absolute path; a directory that cannot be created or written is exit 73. */
export async function prepareDataDir(path: string, cwd: string): Promise<string> {
  const dir = resolve(cwd, path);
  try {
    await makeDirectories(dir);
    // Permission bits say little (root, ACLs, read-only mounts): writing a file is the only real test.
    const probe = join(dir, `.heddle-write-test-${process.pid}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw cannotUse(dir, describeFsError(error));
  }
  return dir;
}

export function cannotUse(dir: string, reason: string): CliError {
  return new CliError(`cannot use data directory ${dir}: ${reason}`, EXIT_CODES.CANNOT_CREATE);
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never settles under some pseudo file systems
 * (`/proc/x` loops on ENOENT), so the missing levels are created from the nearest existing ancestor down.
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      await stat(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
