// What the supervisor needs to know to run one component: what to start, where its output goes, and how to
// treat it when it ends.
import type { RestartPolicy } from './restart-backoff.ts';

export interface ChildSpec {
  /** The component's name in messages and its log file name, e.g. `control-plane`. */
  readonly name: string;
  /**
   * `node`: a repository .ts entry point run by this Node binary, with the liveness guard preloaded.
   * `command`: any program (`argv[0]` is the command), run under the reaper so it cannot be orphaned.
   */
  readonly kind: 'node' | 'command';
  /** `node`: the entry point's path then its arguments; `command`: the command then its arguments. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Where stdout and stderr are appended; without it the child shares the supervisor's terminal. */
  readonly logFile?: string;
  /** Restart when it exits on its own (a crash); without it an exit is final. */
  readonly restart?: RestartPolicy;
  /** After SIGTERM, how long before SIGKILL. */
  readonly stopTimeoutMs: number;
}

/** How a child ended: the exit code, or the signal that ended it. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function describeExit(exit: ChildExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}
