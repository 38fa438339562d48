// Per-component log files under `<dataDir>/logs/`: children write to them directly (an inherited file
// descriptor), and the supervisor adds one line per start and exit so restarts are visible in place.
import { appendFileSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export function logFilePath(dataDir: string, component: string): string {
  return join(dataDir, 'logs', `${component}.log`);
}

/** Opens the file for appending (creating its folder); the caller closes the descriptor after spawning. */
export function openLogFile(path: string): number {
  mkdirSync(join(path, '..'), { recursive: true });
  return openSync(path, 'a');
}

export function appendLogNote(path: string, note: string, now: Date = new Date()): void {
  try {
    appendFileSync(path, `--- ${now.toISOString()} heddle: ${note}\n`);
  } catch {
    // A note that cannot be written must not stop the supervisor; the child's own output still goes there.
  }
}
