// Creates the control plane's data directory and proves it writable before anything starts listening.
import { mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';

/** Resolves to the absolute path; a directory that cannot be created or written is exit 73. */
export async function prepareDataDir(path: string, cwd: string): Promise<string> {
  const dir = resolve(cwd, path);
  try {
    await mkdir(dir, { recursive: true });
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
