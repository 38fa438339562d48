// The files a transparent sidecar reads, in a directory of its own owned by its uid: it runs as 1337 and
// cannot read root's data directory. The join token is kept fresh in the data directory as for any
// `heddle run` sidecar; each new version is copied here, owned by the sidecar, and renamed into place so
// the sidecar never reads a half-written or unreadable file.
import { watch, type FSWatcher } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../../cli-error.ts';
import { EXIT_CODES } from '../../exit-codes.ts';
import { describeFsError } from '../../input/describe-fs-error.ts';

export interface SidecarFiles {
  readonly dir: string;
  /** Writes bootstrap.json (owner-only, owned by the sidecar's uid); resolves to its path. */
  writeBootstrap(bootstrap: Record<string, unknown>): Promise<string>;
  /** Copies `source` here now and whenever it is replaced; resolves to the copy's path. */
  mirrorTokenFile(source: string): Promise<string>;
  close(): Promise<void>;
}

export async function createSidecarFiles(uid: number): Promise<SidecarFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'heddle-sidecar-'));
  await chown(dir, uid, uid);
  await chmod(dir, 0o700);
  const watchers: FSWatcher[] = [];
  let copying: Promise<void> = Promise.resolve();

  const place = async (name: string, content: string): Promise<string> => {
    const path = join(dir, name);
    const temporary = `${path}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await chown(temporary, uid, uid);
    await rename(temporary, path);
    return path;
  };

  return {
    dir,
    writeBootstrap: (bootstrap) =>
      place('bootstrap.json', `${JSON.stringify(bootstrap, null, 2)}\n`).catch((error: unknown) => {
        throw new CliError(
          `cannot write the sidecar bootstrap in ${dir}: ${describeFsError(error)}`,
          EXIT_CODES.CANNOT_CREATE,
        );
      }),
    async mirrorTokenFile(source) {
      const name = basename(source);
      const copy = async (): Promise<void> => {
        const token = await readFile(source, 'utf8').catch(() => undefined);
        if (token !== undefined && token.trim() !== '') await place(name, token);
      };
      // The keeper replaces the file by renaming a new one over it: watch the directory, not the file.
      const watcher = watch(dirname(source), (_event, changed) => {
        if (changed === name) copying = copying.then(copy).catch(() => undefined);
      });
      watcher.unref();
      watchers.push(watcher);
      await copy();
      return join(dir, name);
    },
    async close() {
      for (const watcher of watchers) watcher.close();
      await copying;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
