// Says in words why a file could not be read ("permission denied"), without errno codes or stack traces.
import { lstat } from 'node:fs/promises';
import { getSystemErrorMessage } from 'node:util';

interface SystemErrorLike {
  readonly errno?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

export function describeFsError(error: unknown): string {
  const system = (typeof error === 'object' && error !== null ? error : {}) as SystemErrorLike;
  if (typeof system.errno === 'number') {
    try {
      return getSystemErrorMessage(system.errno);
    } catch {
      // An errno libuv does not know: fall through to the message.
    }
  }
  const message = typeof system.message === 'string' ? system.message : String(error);
  // Node's messages start with "ECODE: "; the words after it are what a person needs.
  return message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as SystemErrorLike).code === 'ENOENT';
}

/** Why `stat` failed on a path; a dangling symbolic link is named as such, since "not found" puzzles. */
export async function explainStatFailure(path: string, error: unknown): Promise<string> {
  if (!isNotFound(error)) return describeFsError(error);
  const link = await lstat(path).catch(() => undefined);
  return link?.isSymbolicLink() ? 'broken symbolic link: its target does not exist' : describeFsError(error);
}
