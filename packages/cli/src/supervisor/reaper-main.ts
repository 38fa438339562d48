// Runs one command that is not a Node entry point (the app of `heddle run`) on the supervisor's behalf: passes
// on the signals the supervisor sends, exits with the command's exit code, and stops the command when the
// supervisor is gone, so a killed supervisor never leaves the app running as an orphan.
// Usage: reaper-main.ts -- <command> [args…]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { watchSupervisor } from './liveness-fd.ts';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2'];
/** How long the command may take to stop once the supervisor is gone, before SIGKILL. */
const ORPHAN_KILL_DEADLINE_MS = 10_000;

const separator = process.argv.indexOf('--');
const [command, ...args] = separator < 0 ? [] : process.argv.slice(separator + 1);
if (command === undefined) {
  process.stderr.write('heddle: reaper-main.ts needs -- <command> [args…]\n');
  process.exit(64);
}

// Its own process group, so that a signal reaches the whole tree the command starts (a shell's children).
const child = spawn(command, args, { stdio: 'inherit', detached: true });
const signalGroup = (signal: NodeJS.Signals): void => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
};

for (const signal of FORWARDED) process.on(signal, () => signalGroup(signal));

watchSupervisor(() => {
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), ORPHAN_KILL_DEADLINE_MS).unref();
});

child.on('error', (error: NodeJS.ErrnoException) => {
  // The shell's codes: 127 for a command that does not exist, 126 for one that cannot be executed.
  const notFound = error.code === 'ENOENT';
  const reason = notFound
    ? 'command not found'
    : error.code === 'EACCES'
      ? 'permission denied'
      : error.message;
  process.stderr.write(`heddle: cannot start ${command}: ${reason}\n`);
  process.exit(notFound ? 127 : 126);
});

child.on('exit', (code, signal) => {
  // A command ended by a signal exits 128 + its number, as a shell reports it.
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
