// The repository's own TypeScript entry points that the supervisor starts, always with this Node binary.
import { join } from 'node:path';

const CLI_ROOT = join(import.meta.dirname, '..', '..');
const PACKAGES = join(CLI_ROOT, '..');

export const ENTRY_POINTS = {
  /** `heddle` itself; `heddle control` runs the control plane. */
  heddle: join(CLI_ROOT, 'bin', 'heddle.ts'),
  /** The proxy from a bootstrap file: sidecars, and gateways (their bootstrap maps Gateway ports to local ones). */
  proxy: join(PACKAGES, 'proxy', 'bin', 'heddle-proxy.ts'),
  /** Runs a command that is not a Node entry point under the supervisor's liveness watch. */
  reaper: join(import.meta.dirname, 'reaper-main.ts'),
  /** Preloaded into every Node child: the child stops when the supervisor is gone. */
  livenessGuard: join(import.meta.dirname, 'liveness-guard.ts'),
} as const;
