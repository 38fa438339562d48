// The options of `heddle up` after parsing, shared by the foreground and the --detach paths.
import type { LogLevel } from '../control/run-control.ts';
import type { UpFormat } from './up-summary.ts';

export interface UpRequest {
  /** --data-dir as given; $HEDDLE_HOME or ~/.heddle when absent. */
  readonly dataDir?: string;
  readonly httpPort: number;
  readonly xdsPort: number;
  /** Local port of Gateway port 80 (others below 1024 keep the same distance). */
  readonly gatewayPort: number;
  readonly gatewayAdminPort: number;
  readonly gatewayHealthPort: number;
  readonly logLevel: LogLevel;
  readonly output: UpFormat;
  /** How long each component may take to become ready. */
  readonly timeoutMs: number;
  readonly cwd: string;
}

/** The loopback address everything listens on: nothing here authenticates its clients yet. */
export const UP_HOST = '127.0.0.1';
