// The data directory an install verb works on: --data-dir, else $HEDDLE_HOME, else ~/.heddle.
import type { CliIo } from '../cli-io.ts';
import { resolveDataHome } from '../up/data-home.ts';

export function dataDirOf(options: { readonly dataDir?: string }, io: CliIo): string {
  return resolveDataHome(options.dataDir, io.env, process.cwd());
}
