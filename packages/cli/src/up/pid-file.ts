// `<dataDir>/heddle.pid`: one `heddle up` per data directory. Created exclusively, so two starts cannot both
// win; a file left by a process that is gone (a crash, a reboot) is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';

/** True when a process with this pid exists and, where /proc tells, runs heddle (not a reused pid). */
export async function isHeddleRunning(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return commandLine === undefined || commandLine.includes('heddle');
}

/** The pid in the file when that process is still running; undefined otherwise. */
export async function runningPid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  return (await isHeddleRunning(pid)) ? pid : undefined;
}

export function alreadyRunning(pid: number, dataDir: string): CliError {
  return new CliError(
    `Heddle is already running for ${dataDir} (pid ${pid}); stop it with \`heddle down\` first`,
    EXIT_CODES.UNAVAILABLE,
  );
}

/** Writes this process's pid; throws "already running" when a live heddle holds the file. */
export async function acquirePidFile(pidFile: string, dataDir: string, pid = process.pid): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(pidFile, 'wx');
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await runningPid(pidFile);
    if (holder !== undefined && holder !== pid) throw alreadyRunning(holder, dataDir);
    await rm(pidFile, { force: true });
  }
  throw new CliError(`cannot take ${pidFile}: another heddle is starting`, EXIT_CODES.UNAVAILABLE);
}

/** Removes the file only if it still names this process. */
export async function releasePidFile(pidFile: string, pid = process.pid): Promise<void> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text !== undefined && Number(text.trim()) === pid) await rm(pidFile, { force: true });
}
