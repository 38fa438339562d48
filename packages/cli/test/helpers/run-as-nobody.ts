// Test helper: root ignores file modes, so as root permission tests run the CLI as user "nobody".
import { spawnSync } from 'node:child_process';
import { BIN, REPO_ROOT } from './run-cli.ts';

export const NOBODY = 65534;

export type Identity = { readonly uid: number; readonly gid: number } | Record<string, never>;

/**
 * The identity to run the CLI with so that file modes apply: none needed when not root, "nobody" as root, or
 * undefined when "nobody" cannot run the CLI from this checkout (the test should then skip).
 */
export function unprivilegedIdentity(): Identity | undefined {
  if (process.getuid?.() !== 0) return {};
  return canRunAsNobody() ? { uid: NOBODY, gid: NOBODY } : undefined;
}

export function canRunAsNobody(): boolean {
  const probe = spawnSync(process.execPath, [BIN, '--version'], {
    cwd: REPO_ROOT,
    uid: NOBODY,
    gid: NOBODY,
    timeout: 15_000,
  });
  return probe.status === 0;
}
