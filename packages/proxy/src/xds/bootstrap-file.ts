// Reads a bootstrap from a JSON or YAML file; every failure is a BootstrapError with one clear line.
import { readFile } from 'node:fs/promises';
import { parseBootstrap, type Bootstrap } from './bootstrap.ts';
import { BOOTSTRAP_INVALID, BOOTSTRAP_UNREADABLE, BootstrapError } from './bootstrap-error.ts';

export async function loadBootstrapFile(path: string): Promise<Bootstrap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BootstrapError(
      BOOTSTRAP_UNREADABLE,
      [code === 'ENOENT' ? 'no such file' : String(code ?? error)],
      path,
    );
  }
  return parseBootstrap(await parseDocument(text, path), path);
}

/** JSON when the file is JSON (by extension or first character), YAML otherwise. */
export async function parseDocument(text: string, source: string): Promise<unknown> {
  if (source.endsWith('.json') || text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new BootstrapError(BOOTSTRAP_INVALID, [`not valid JSON (${(error as Error).message})`], source);
    }
  }
  // YAML support is loaded only when a YAML bootstrap is given.
  const { parse } = await import('yaml');
  try {
    return parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'parse error';
    throw new BootstrapError(BOOTSTRAP_INVALID, [`not valid YAML (${message})`], source);
  }
}
