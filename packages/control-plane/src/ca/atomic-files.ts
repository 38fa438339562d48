// Small file helpers for the CA directory: private files, atomic replacement, and create-once publication.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Owner read/write only: private keys and the token key. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes and fsyncs a file under a fresh temporary name beside `path`; returns that name. */
async function writeTemporary(path: string, content: string, mode: number): Promise<string> {
  const temporary = join(dirname(path), `.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}

/** Replaces `path` whole: readers see the old or the new content, never a part. */
export async function replaceFile(path: string, content: string, mode = PRIVATE_FILE_MODE): Promise<void> {
  const temporary = await writeTemporary(path, content, mode);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Publishes `path` only if it does not exist yet (two processes starting on one data directory agree on
 * one winner). Returns false when another writer got there first; its file is then the one to use.
 */
export async function createFileOnce(
  path: string,
  content: string,
  mode = PRIVATE_FILE_MODE,
): Promise<boolean> {
  const temporary = await writeTemporary(path, content, mode);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
