// Test helper: a long-lived `heddle` child (e.g. `heddle control`), stopped by a signal or killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { BIN, REPO_ROOT, type CliResult } from './run-cli.ts';

export interface BackgroundCli {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line, or rejects when the process ends first or the time runs out. */
  firstLine(timeoutMs?: number): Promise<string>;
  /** Resolves when the process has ended, with everything it printed. */
  readonly exited: Promise<CliResult>;
  /** Sends the signal and waits for the end. */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<CliResult>;
}

export function startCli(t: TestContext, args: readonly string[], cwd = REPO_ROOT): BackgroundCli {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.HEDDLE_DEBUG;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const firstLine = (timeoutMs = 30_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const text = Buffer.concat(stdout).toString('utf8');
        const end = text.indexOf('\n');
        if (end < 0) return false;
        finish();
        resolve(text.slice(0, end));
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`no output line within ${timeoutMs} ms; stderr:\n${Buffer.concat(stderr).toString()}`),
        );
      }, timeoutMs);
      const onEnd = (): void => {
        if (check()) return;
        finish();
        reject(
          new Error(`the process ended before printing a line; stderr:\n${Buffer.concat(stderr).toString()}`),
        );
      };
      const finish = (): void => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('close', onEnd);
      };
      child.stdout.on('data', check);
      child.on('close', onEnd);
      check();
    });

  const stop = async (signal: NodeJS.Signals, timeoutMs = 20_000): Promise<CliResult> => {
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after ${signal}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return { child, firstLine, exited, stop };
}
