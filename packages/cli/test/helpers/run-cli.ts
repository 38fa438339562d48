// Test helper: runs the real `heddle` executable as a child process and collects what it printed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'heddle.ts');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the child's standard input, which is then closed. */
  readonly input?: string | Buffer;
  /** Replaces the child's standard input (e.g. an open file descriptor). */
  readonly stdin?: 'pipe' | 'ignore' | number;
  readonly env?: Readonly<Record<string, string>>;
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
  /** The child's working directory; the repository root by default. */
  readonly cwd?: string;
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // The test runner marks its own children; the CLI under test is not one of them.
  delete env.NODE_TEST_CONTEXT;
  if (!options.env?.HEDDLE_DEBUG) delete env.HEDDLE_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    if (child.stdin) {
      // The CLI may stop reading early (an oversized stdin); that is not a test failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    }
  });
}

/** Fails when either stream shows a JavaScript stack trace: users get one-line messages. */
export function stackTraceIn(result: CliResult): string | undefined {
  const text = `${result.stdout}\n${result.stderr}`;
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m.exec(text)?.[0];
}
