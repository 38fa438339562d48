// `--file <path>`: a config dump saved from a proxy's admin (`curl localhost:15000/config_dump`), or "-".
import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import type { ConfigDump } from '../client/api-types.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { describeFsError } from '../input/describe-fs-error.ts';

export async function readDumpFile(path: string, stdin: AsyncIterable<Buffer | string>): Promise<ConfigDump> {
  let text: string;
  try {
    text = path === '-' ? await readAll(stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${describeFsError(error)}`, EXIT_CODES.UNREADABLE_INPUT);
  }
  const name = path === '-' ? 'standard input' : path;
  try {
    const json = JSON.parse(text) as unknown;
    // The xDS type registry is large; only commands that read a dump load it.
    const { normalizeConfigDump } = await import('./normalize-config-dump.ts');
    return normalizeConfigDump(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`${name} is not a config dump: ${reason}`, EXIT_CODES.UNREADABLE_INPUT);
  }
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
