// Walks a directory tree for config files (.yaml, .yml, .json), in a stable sorted order.
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { describeFsError, explainStatFailure } from './describe-fs-error.ts';
import { CONFIG_EXTENSIONS } from './input-findings.ts';

export interface DirectoryProblem {
  readonly path: string;
  readonly reason: string;
}

export interface ConfigFileListing {
  readonly files: string[];
  readonly problems: DirectoryProblem[];
}

const CONFIG_EXTENSION_SET: ReadonlySet<string> = new Set(CONFIG_EXTENSIONS);

export function isConfigFileName(name: string): boolean {
  return CONFIG_EXTENSION_SET.has(extname(name).toLowerCase());
}

export async function listConfigFiles(directory: string): Promise<ConfigFileListing> {
  const listing: ConfigFileListing = { files: [], problems: [] };
  // Real paths already walked, so a symlink pointing back up the tree cannot loop forever.
  const visited = new Set<string>();
  await walk(directory, listing, visited);
  return listing;
}

async function walk(directory: string, listing: ConfigFileListing, visited: Set<string>): Promise<void> {
  let names: string[];
  try {
    const real = await realpath(directory);
    if (visited.has(real)) return;
    visited.add(real);
    names = await readdir(directory);
  } catch (error) {
    listing.problems.push({ path: directory, reason: describeFsError(error) });
    return;
  }
  // Code-point order, not locale order: the same tree lists the same way on every machine.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(directory, name);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      // A dangling link or a vanished file only matters when it looked like config.
      if (isConfigFileName(name))
        listing.problems.push({ path, reason: await explainStatFailure(path, error) });
      continue;
    }
    if (info.isDirectory()) await walk(path, listing, visited);
    else if (isConfigFileName(name)) {
      if (info.isFile()) listing.files.push(path);
      else listing.problems.push({ path, reason: 'not a regular file' });
    }
  }
}
