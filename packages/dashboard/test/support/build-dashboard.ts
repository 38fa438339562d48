// Builds the dashboard with Vite into a temporary folder, so a test checks the current sources without
// touching dist/ (which a control plane in another test may be serving at the same time).
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const VITE_BIN = fileURLToPath(new URL('../../../../node_modules/vite/bin/vite.js', import.meta.url));

/** Returns the output folder; the caller removes it. */
export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'heddle-dashboard-build-'));
  await run(
    process.execPath,
    [VITE_BIN, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: PACKAGE_DIR,
      timeout: 120_000,
    },
  );
  return outDir;
}
