// Runs `ip`, `iptables-restore` and friends to completion, bounded in time, with their stderr in the error.
import { execFile } from 'node:child_process';

const TIMEOUT_MS = 15_000;

export class SystemCommandError extends Error {
  readonly stderr: string;

  constructor(message: string, stderr: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SystemCommandError';
    this.stderr = stderr;
  }
}

/** Resolves with stdout; rejects with the command line and its stderr when it fails or runs too long. */
export function systemCommand(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      { timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        const reason = stderr.trim().split('\n')[0] || error.message;
        reject(new SystemCommandError(`${command} ${args.join(' ')}: ${reason}`, stderr, { cause: error }));
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `ip` with its arguments. */
export function ip(...args: string[]): Promise<string> {
  return systemCommand('ip', args);
}
