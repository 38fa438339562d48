// Ports handed out but not bound yet, known to every Heddle process of this user on the machine: a port one
// `heddle` chose a moment ago (its component binds it once started) must not be chosen by another `heddle`
// meanwhile, or one of the two cannot listen. A reservation is a file named after the port, created
// exclusively; it lapses after RESERVED_MS, by then the port is bound (and a probe finds it taken) or unused.
import { mkdirSync, openSync, closeSync, statSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** How long a port handed out stays reserved: time enough for its user to start and bind it. */
export const RESERVED_MS = 120_000;

function defaultDirectory(): string {
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `heddle-port-reservations-${user}`);
}

export class PortReservations {
  readonly #dir: string;

  constructor(dir: string = defaultDirectory()) {
    this.#dir = dir;
  }

  /** True when this call reserved `port`; false when another reservation of it is still in force. */
  reserve(port: number): boolean {
    const file = join(this.#dir, String(port));
    try {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      closeSync(openSync(file, 'wx', 0o600));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true; // no directory to share: in-process only
    }
    if (!this.#lapsed(file)) return false;
    // A lapsed reservation is taken over; if another process took it over first, it is theirs.
    rmSync(file, { force: true });
    try {
      closeSync(openSync(file, 'wx', 0o600));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes lapsed reservations, so the directory does not grow. */
  sweep(): void {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = join(this.#dir, name);
      if (this.#lapsed(file)) rmSync(file, { force: true });
    }
  }

  #lapsed(file: string): boolean {
    try {
      return Date.now() - statSync(file).mtimeMs > RESERVED_MS;
    } catch {
      return true;
    }
  }
}
